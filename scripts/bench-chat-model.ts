/**
 * Latency of the configured embedded chat model (`LOCAL_CHAT_MODEL`): load time, then time to
 * first token and decode speed over RAG-shaped prompts (after one warm-up run), as median and p95.
 *
 *   npx tsx scripts/bench-chat-model.ts [--runs 10] [--max-tokens 96]
 *
 * Uses LOCAL_CHAT_MODEL / LOCAL_MODEL_PATH, LOCAL_CONTEXT_SIZE, LOCAL_THREADS, LLM_TEMPERATURE, LLM_SEED.
 */
import type { AIMessageChunk } from "@langchain/core/messages";
import { z } from "zod";
import { parseFlags } from "../lib/cli/parse-flags";
import { loadConfig } from "../lib/config";
import { toAppError } from "../lib/errors";
import { LocalChatModel } from "../lib/llm/local-chat-model";
import { disposeLocalRuntimes } from "../lib/llm/local-runtime";
import { localModelPath } from "../lib/llm/provider";
import { benchMessages, benchQuestion } from "./bench-rag-prompt";
import { percentile } from "../lib/math/percentile";

const flagsSchema = z.object({
  runs: z.coerce.number().int().positive().default(10),
  "max-tokens": z.coerce.number().int().positive().default(96),
});

interface Run {
  ttftMs: number;
  decodeTokensPerSec: number;
  outputTokens: number;
  inputTokens: number;
  totalMs: number;
}

async function measure(model: LocalChatModel, question: string): Promise<Run> {
  const started = performance.now();
  let first = 0;
  let merged: AIMessageChunk | undefined;
  const messages = benchMessages(question);
  for await (const chunk of await model.stream(messages)) {
    if (first === 0 && chunk.content !== "") first = performance.now();
    merged = merged ? merged.concat(chunk) : chunk;
  }
  const ended = performance.now();
  const outputTokens = merged?.usage_metadata?.output_tokens ?? 0;
  return {
    ttftMs: (first || ended) - started,
    decodeTokensPerSec: first && outputTokens > 1 ? (outputTokens - 1) / ((ended - first) / 1000) : Number.NaN,
    outputTokens,
    inputTokens: merged?.usage_metadata?.input_tokens ?? 0,
    totalMs: ended - started,
  };
}

async function main() {
  const { runs, "max-tokens": maxTokens } = parseFlags(process.argv.slice(2), flagsSchema, {
    usageHint: "see the header of scripts/bench-chat-model.ts",
  });
  const config = loadConfig();
  const { local } = config.llm;
  const model = new LocalChatModel({
    modelPath: localModelPath(config.llm, config.models.dir),
    modelName: local.model,
    contextSize: local.contextSize,
    threads: local.threads,
    temperature: config.llm.temperature,
    seed: config.llm.seed,
    maxTokens,
  });
  console.log(
    `Benchmarking ${local.model} (${model.modelPath}); ${runs} runs, max ${maxTokens} tokens, threads ${local.threads || "auto"}, context ${local.contextSize}`,
  );
  const loadStarted = performance.now();
  const runtime = await model.load();
  const loadMs = performance.now() - loadStarted;
  console.log(
    `load: ${Math.round(loadMs)} ms (model file ${Math.round(runtime.modelLoadMs)} ms), chat wrapper ${runtime.chatWrapper.wrapperName}`,
  );

  await measure(model, "Say hello."); // warm-up, not counted
  const results: Run[] = [];
  for (let i = 0; i < runs; i++) {
    const question = benchQuestion(i);
    const run = await measure(model, question);
    results.push(run);
    console.log(
      `  #${i + 1} ttft ${Math.round(run.ttftMs)} ms, ${run.decodeTokensPerSec.toFixed(1)} tok/s, ` +
        `${run.inputTokens} in / ${run.outputTokens} out, ${Math.round(run.totalMs)} ms  ${question}`,
    );
  }
  const ttft = results.map((r) => r.ttftMs);
  const tps = results.map((r) => r.decodeTokensPerSec).filter(Number.isFinite);
  const total = results.map((r) => r.totalMs);
  console.table([
    {
      model: local.model,
      runs,
      load_ms: Math.round(loadMs),
      "ttft_ms p50": Math.round(percentile(ttft, 50)),
      "ttft_ms p95": Math.round(percentile(ttft, 95)),
      // for throughput the slow tail is the low end: "p95" = the speed 95% of runs reach
      "tok/s p50": Number(percentile(tps, 50).toFixed(1)),
      "tok/s p95 (slowest 5%)": Number(percentile(tps, 5).toFixed(1)),
      "total_ms p50": Math.round(percentile(total, 50)),
      "total_ms p95": Math.round(percentile(total, 95)),
    },
  ]);
  await disposeLocalRuntimes();
}

main().catch((error: unknown) => {
  const appError = toAppError(error);
  console.error(`${appError.code}: ${appError.message}`);
  process.exit(1);
});
