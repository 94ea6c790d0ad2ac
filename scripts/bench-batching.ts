/**
 * Aggregate decode throughput of the embedded chat model with batched decoding: the same set of
 * RAG-shaped prompts answered by one context sequence (one at a time) and by S sequences at once
 * (node-llama-cpp evaluates the running sequences in one llama.cpp batch), side by side in one
 * process, in alternating rounds so machine noise hits both alike.
 *
 *   npm run bench:batching [-- --sequences 1,2,4 --requests 8 --rounds 2 --max-tokens 96]
 *
 * Uses LOCAL_CHAT_MODEL / LOCAL_MODEL_PATH, LOCAL_CONTEXT_SIZE, LOCAL_THREADS, LLM_SEED. Reports
 * tokens/s summed over all requests (output tokens / wall time), each request's latency, and the
 * ratio against one sequence.
 */
import { z } from "zod";
import { parseFlags } from "../lib/cli/parse-flags";
import { loadConfig } from "../lib/config";
import { LocalChatModel } from "../lib/llm/local-chat-model";
import { disposeLocalRuntimes } from "../lib/llm/local-runtime";
import { localModelPath } from "../lib/llm/provider";
import { percentile } from "../lib/math/percentile";
import { benchMessages, benchQuestion } from "./bench-rag-prompt";
import { runCli } from "./run-cli";

const flagsSchema = z.object({
  sequences: z
    .string()
    .default("1,2,4")
    .transform((list) => list.split(",").map(Number))
    .pipe(z.array(z.number().int().min(1).max(64)).min(1)),
  requests: z.coerce.number().int().positive().default(8),
  rounds: z.coerce.number().int().positive().default(2),
  "max-tokens": z.coerce.number().int().positive().default(96),
});

interface Batch {
  sequences: number;
  wallMs: number;
  outputTokens: number;
  latenciesMs: number[];
}

async function answer(model: LocalChatModel, question: string): Promise<{ ms: number; tokens: number }> {
  const started = performance.now();
  const reply = await model.invoke(benchMessages(question));
  return { ms: performance.now() - started, tokens: reply.usage_metadata?.output_tokens ?? 0 };
}

/** All `requests` sent at once; the runtime lends `sequences` of them a sequence, the rest wait. */
async function runBatch(model: LocalChatModel, requests: number): Promise<Batch> {
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: requests }, (_, i) => answer(model, benchQuestion(i))));
  return {
    sequences: model.parallelSequences,
    wallMs: performance.now() - started,
    outputTokens: results.reduce((sum, r) => sum + r.tokens, 0),
    latenciesMs: results.map((r) => r.ms),
  };
}

runCli(async () => {
  const flags = parseFlags(process.argv.slice(2), flagsSchema, { usageHint: "see the header of scripts/bench-batching.ts" });
  const config = loadConfig();
  const { local } = config.llm;
  const models = flags.sequences.map(
    (sequences) =>
      new LocalChatModel({
        modelPath: localModelPath(config.llm, config.models.dir),
        modelName: local.model,
        contextSize: local.contextSize,
        threads: local.threads,
        parallelSequences: sequences,
        temperature: 0,
        seed: config.llm.seed,
        maxTokens: flags["max-tokens"],
      }),
  );
  console.log(
    `${local.model}: ${flags.requests} concurrent requests × ${flags.rounds} rounds, sequences ${flags.sequences.join(" / ")}, ` +
      `max ${flags["max-tokens"]} tokens, threads ${local.threads || "auto"}`,
  );
  for (const model of models) {
    await model.load();
    await answer(model, "Say hello."); // warm-up, not counted
  }
  const batches: Batch[] = [];
  for (let round = 0; round < flags.rounds; round++) {
    for (const model of models) {
      const batch = await runBatch(model, flags.requests);
      batches.push(batch);
      console.log(
        `  round ${round + 1}, ${batch.sequences} seq: ${batch.outputTokens} tokens in ${Math.round(batch.wallMs)} ms ` +
          `= ${((batch.outputTokens * 1000) / batch.wallMs).toFixed(1)} tok/s`,
      );
    }
  }
  const baseline = throughput(batches.filter((b) => b.sequences === flags.sequences[0]));
  console.table(
    flags.sequences.map((sequences) => {
      const mine = batches.filter((b) => b.sequences === sequences);
      const latencies = mine.flatMap((b) => b.latenciesMs);
      return {
        sequences,
        "tok/s (aggregate)": Number(throughput(mine).toFixed(1)),
        [`× vs ${flags.sequences[0]} seq`]: Number((throughput(mine) / baseline).toFixed(2)),
        "latency p50 ms": Math.round(percentile(latencies, 50)),
        "latency p95 ms": Math.round(percentile(latencies, 95)),
        "tokens/request": Math.round(mine.reduce((s, b) => s + b.outputTokens, 0) / Math.max(1, latencies.length)),
      };
    }),
  );
  await disposeLocalRuntimes();
  return 0;
});

function throughput(batches: Batch[]): number {
  const tokens = batches.reduce((sum, b) => sum + b.outputTokens, 0);
  const ms = batches.reduce((sum, b) => sum + b.wallMs, 0);
  return (tokens * 1000) / Math.max(1, ms);
}
