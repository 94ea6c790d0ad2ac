/**
 * `npm run synth`: writes synthetic knowledge-base questions into evals/datasets/synthetic.jsonl.
 * Picks N corpus chunks (seeded, so reproducible), asks the configured chat model for one question
 * each chunk answers and its short answer (JSON-constrained `{question, answer}`), keeps the pairs
 * that pass the quality filters (documented in evals/synth/filters.ts), and appends them with
 * `source: "synthetic"`, `reviewed: false` and the chunk's document as the expected doc id.
 * A person flips `reviewed` to true once they accept an example.
 *
 *   npm run synth -- [--count 20] [--seed 42] [--out evals/datasets/synthetic.jsonl] [--verbose]
 *
 * Flags:
 *   --count <n>   chunks to pick (default 20); at most n examples are added
 *   --seed <n>    seed for the chunk sample (default 42); the same seed picks the same chunks
 *   --out <file>  dataset to append to (default evals/datasets/synthetic.jsonl)
 *   --verbose     print every pair the model wrote and why it was kept or rejected
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import cliProgress from "cli-progress";
import { z } from "zod";
import { parseFlags } from "../lib/cli/parse-flags";
import { getConfig } from "../lib/config";
import { AppError, toAppError } from "../lib/errors";
import { disposeLocalRuntimes } from "../lib/llm/local-runtime";
import { createChatModel, describeModel } from "../lib/llm/provider";
import { loadSourceChunks, sampleChunks } from "../evals/synth/chunks";
import { REJECT_REASONS, type RejectReason } from "../evals/synth/filters";
import { generateCandidates, type ChunkOutcome, type SynthCandidate } from "../evals/synth/generate";
import { appendSynthetic } from "../evals/synth/writer";

const DEFAULT_OUT = fileURLToPath(new URL("../evals/datasets/synthetic.jsonl", import.meta.url));

const flagsSchema = z.object({
  count: z.coerce.number().int().min(1).default(20),
  seed: z.coerce.number().int().min(0).default(42),
  out: z
    .string()
    .default(DEFAULT_OUT)
    .transform((file) => path.resolve(file)),
  verbose: z.boolean().default(false),
});
type Flags = z.infer<typeof flagsSchema>;

async function main(): Promise<number> {
  let args: Flags;
  try {
    args = parseFlags(process.argv.slice(2), flagsSchema, { booleans: ["verbose"], usageHint: "see the header of scripts/synth.ts" });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    console.error(`synth: ${error.message}`);
    return 2;
  }
  const config = getConfig();
  const started = performance.now();
  const chunks = await loadSourceChunks(config.corpusDir, config.chunking);
  const picked = sampleChunks(chunks, args.count, args.seed);
  const { provider, modelName } = describeModel(config.llm);
  console.log(`synth: ${picked.length} of ${chunks.length} chunks (seed ${args.seed}), model ${provider}/${modelName} -> ${args.out}`);

  const model = createChatModel(config.llm, config.models.dir);
  const bar = new cliProgress.SingleBar(
    {
      format: "Writing questions [{bar}] {value}/{total} chunks | kept {kept} | {duration_formatted}",
      hideCursor: true,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(picked.length, 0, { kept: 0 });
  let outcomes: ChunkOutcome[];
  try {
    outcomes = await generateCandidates(model, picked, { onProgress: (done, kept) => bar.update(done, { kept }) });
  } finally {
    bar.stop();
  }

  const kept: SynthCandidate[] = [];
  const rejected = new Map<RejectReason, number>();
  for (const o of outcomes) {
    if (o.kept) kept.push(o.candidate);
    else rejected.set(o.reason, (rejected.get(o.reason) ?? 0) + 1);
    if (args.verbose) {
      const verdict = o.kept ? "kept" : `rejected (${o.reason})`;
      const detail = o.pair ? JSON.stringify(o.pair) : o.kept ? "" : (o.error ?? "");
      console.log(`  ${o.chunkId}: ${verdict} ${detail}`);
    }
  }
  const result = appendSynthetic(args.out, kept);
  if (result.duplicates.length > 0) rejected.set("duplicate", result.duplicates.length);

  const seconds = (performance.now() - started) / 1000;
  const reasons = REJECT_REASONS.filter((r) => rejected.has(r)).map((r) => `${r} ${rejected.get(r)}`);
  console.log(
    `synth: ${picked.length} chunks -> ${kept.length} passed the filters, ${result.added.length} added ` +
      `(${reasons.length > 0 ? `rejected: ${reasons.join(", ")}` : "none rejected"}); ` +
      `${result.total} examples in ${path.relative(process.cwd(), args.out) || args.out}; ${seconds.toFixed(1)} s`,
  );
  if (result.added.length > 0) console.log("New examples have reviewed: false; set it to true once a person has checked them.");
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  const appError = toAppError(error);
  console.error(`synth failed [${appError.code}]: ${appError.message}`);
  process.exitCode = 1;
} finally {
  // The local model keeps native handles open; free them so the process can exit.
  await disposeLocalRuntimes();
}
