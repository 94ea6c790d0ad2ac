/**
 * `npm run bench:latency`: ingest time and query latency of the app's knowledge base.
 *
 * 1. Ingests `CORPUS_DIR` from scratch into `.data/bench/latency-index` (the app's own
 *    index is left alone) and reports time, chunks/s and index size on disk.
 * 2. Runs ≥200 queries one at a time through the same path the app uses
 *    (`KnowledgeBase`: embed the query, then HNSW search with k = RETRIEVAL_K) and
 *    reports p50/p95 for embedding, search and both together.
 *
 * Queries are the BEIR SciFact queries from BENCH_DATA_DIR when present (realistic
 * lengths; relevance is not measured here), otherwise sentences taken from the corpus.
 * Flags: --queries <n> (default 300), --ef <n>.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { parseFlags } from "../lib/cli/parse-flags";
import { loadConfig } from "../lib/config";
import { toAppError } from "../lib/errors";
import { getEmbedder } from "../lib/embeddings/transformers-embedder";
import { loadCorpus } from "../lib/ingest/corpus";
import { ingestCorpus } from "../lib/ingest/ingest";
import { KnowledgeBase } from "../lib/vectorstore/knowledge-base";
import { stats } from "./bench-stats";

/** At least 200 queries, for a p95 that means something. */
const flagsSchema = z.object({
  queries: z.coerce
    .number()
    .int()
    .positive()
    .default(300)
    .transform((n) => Math.max(200, n)),
  ef: z.coerce.number().int().positive().optional(),
});

function loadQueries(benchDataDir: string, corpusDir: string, wanted: number): { queries: string[]; source: string } {
  const file = path.join(benchDataDir, "beir-scifact", "queries.jsonl");
  if (fs.existsSync(file)) {
    const queries = fs
      .readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => (JSON.parse(l) as { text?: unknown }).text)
      .filter((t): t is string => typeof t === "string" && t.trim() !== "");
    if (queries.length >= wanted) return { queries: queries.slice(0, wanted), source: `BEIR SciFact queries (${file})` };
  }
  const sentences = loadCorpus(corpusDir)
    .flatMap((d) => d.body.split(/(?<=[.?!])\s+|\n+/))
    .map((s) => s.replace(/^[#>*\-\s|]+/, "").trim())
    .filter((s) => s.split(/\s+/).length >= 5);
  if (sentences.length === 0) throw new Error(`No queries: ${file} is missing and ${corpusDir} has no usable sentences`);
  const queries = Array.from({ length: wanted }, (_, i) => sentences[i % sentences.length]!);
  return { queries, source: `sentences from ${corpusDir}` };
}

const ms = (x: number) => `${x.toFixed(2)} ms`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;

async function main(): Promise<void> {
  const config = loadConfig();
  const { queries: wanted, ef } = parseFlags(process.argv.slice(2), flagsSchema, {
    usageHint: "see the header of scripts/bench-query-latency.ts",
  });
  const embedder = getEmbedder(config);
  embedder.assertModelPresent();

  const loadStart = performance.now();
  await embedder.load();
  const loadMs = performance.now() - loadStart;

  const indexDir = path.resolve(".data/bench/latency-index");
  fs.rmSync(indexDir, { recursive: true, force: true });
  const summary = await ingestCorpus({
    corpusDir: config.corpusDir,
    indexDir,
    chunking: config.chunking,
    embedder,
    batchSize: config.embedBatchSize,
  });
  const kb = new KnowledgeBase(embedder, indexDir, { efSearch: ef });
  const store = await kb.store();
  const disk = store.diskUsage();

  const { queries, source } = loadQueries(config.benchDataDir, config.corpusDir, wanted);
  for (const q of queries.slice(0, 5)) await kb.search(q, { k: config.retrievalK }); // warm-up

  const embedMs: number[] = [];
  const searchMs: number[] = [];
  const totalMs: number[] = [];
  for (const q of queries) {
    const t0 = performance.now();
    const vector = await kb.embedQuery(q);
    const t1 = performance.now();
    await kb.searchVector(vector, { k: config.retrievalK });
    const t2 = performance.now();
    embedMs.push(t1 - t0);
    searchMs.push(t2 - t1);
    totalMs.push(t2 - t0);
  }

  console.log(
    `Corpus ${config.corpusDir}: ${summary.documents} documents, ${summary.chunks} chunks (size ${config.chunking.size}, overlap ${config.chunking.overlap})`,
  );
  console.log(`Model load (cold):   ${ms(loadMs)}`);
  console.log(
    `Ingest (from scratch): ${(summary.ms / 1000).toFixed(2)} s, ${(summary.chunksEmbedded / (summary.ms / 1000)).toFixed(1)} chunks/s (batch ${config.embedBatchSize})`,
  );
  console.log(`Index on disk:       ${mib(disk.totalBytes)} (index ${mib(disk.indexBytes)} + docstore ${mib(disk.docstoreBytes)})`);
  console.log(
    `\nQuery latency over ${queries.length} queries (${source}), k=${config.retrievalK}, efSearch=${store.params.efSearch}, sequential:`,
  );
  const rows: [string, ReturnType<typeof stats>][] = [
    ["embed", stats(embedMs)],
    ["search", stats(searchMs)],
    ["embed+search", stats(totalMs)],
  ];
  console.log(`${"step".padEnd(14)}${"p50".padStart(12)}${"p95".padStart(12)}${"mean".padStart(12)}${"max".padStart(12)}`);
  for (const [name, s] of rows) {
    console.log(`${name.padEnd(14)}${ms(s.p50).padStart(12)}${ms(s.p95).padStart(12)}${ms(s.mean).padStart(12)}${ms(s.max).padStart(12)}`);
  }
}

try {
  await main();
} catch (error) {
  const appError = toAppError(error);
  console.error(`bench:latency failed [${appError.code}]: ${appError.message}`);
  process.exitCode = 1;
}
