/**
 * `npm run bench:retrieval`: BEIR SciFact (test split) retrieval quality of the app's
 * embedding model, with exact search and with the HNSW index, against MTEB's published
 * nDCG@10 for sentence-transformers/all-MiniLM-L6-v2.
 *
 * Matches MTEB's protocol: documents are `title + " " + text` (stripped), queries as
 * given, cosine similarity, truncation at 256 word pieces, nDCG@10 with linear gains
 * over all relevant documents in the qrels (as pytrec_eval computes it).
 *
 * Flags: --ef <n> (HNSW efSearch, default 100), --no-cache.
 * Exit 1 if |exact - published| > 0.01 or |hnsw - exact| > 0.01; exit 2 on bad input.
 */
import path from "node:path";
import { z } from "zod";
import { parseFlags } from "../lib/cli/parse-flags";
import { loadConfig } from "../lib/config";
import { toAppError } from "../lib/errors";
import { TransformersEmbedder } from "../lib/embeddings/transformers-embedder";
import { ExactSearcher } from "../lib/vectorstore/exact-searcher";
import { HnswStore } from "../lib/vectorstore/hnsw-store";
import type { VectorSearcher } from "../lib/vectorstore/types";
import { BenchDataError, embedCorpus, loadScifact } from "./bench-scifact";

const PUBLISHED_NDCG10 = 0.64508; // embeddings-benchmark/results, SciFact.json, mteb 1.12.75
const TOLERANCE = 0.01;
const DEPTH = 100;

/** nDCG@k with linear gains (pytrec_eval's `ndcg_cut`), ideal ranking from all judged documents. */
function ndcgAt(ranked: string[], rels: Map<string, number>, k: number): number {
  let dcg = 0;
  ranked.slice(0, k).forEach((id, i) => (dcg += (rels.get(id) ?? 0) / Math.log2(i + 2)));
  const ideal = [...rels.values()]
    .filter((r) => r > 0)
    .sort((a, b) => b - a)
    .slice(0, k);
  const idcg = ideal.reduce((sum, r, i) => sum + r / Math.log2(i + 2), 0);
  return idcg === 0 ? 0 : dcg / idcg;
}

function recallAt(ranked: string[], rels: Map<string, number>, k: number): number {
  const relevant = [...rels].filter(([, r]) => r > 0).map(([id]) => id);
  if (relevant.length === 0) return 0;
  const top = new Set(ranked.slice(0, k));
  return relevant.filter((id) => top.has(id)).length / relevant.length;
}

function evaluate(searcher: VectorSearcher, queryVectors: Map<string, Float32Array>, qrels: Map<string, Map<string, number>>) {
  let ndcg = 0;
  let recall = 0;
  const started = performance.now();
  for (const [qid, rels] of qrels) {
    const ranked = searcher.searchVector(queryVectors.get(qid)!, { k: DEPTH }).map((r) => r.docId);
    ndcg += ndcgAt(ranked, rels, 10);
    recall += recallAt(ranked, rels, DEPTH);
  }
  const msPerQuery = (performance.now() - started) / qrels.size;
  return { ndcg10: ndcg / qrels.size, recall100: recall / qrels.size, msPerQuery };
}

const flagsSchema = z.object({
  ef: z.coerce.number().int().positive().default(100),
  "no-cache": z.boolean().default(false),
});

async function main(): Promise<number> {
  const flags = parseFlags(process.argv.slice(2), flagsSchema, {
    booleans: ["no-cache"],
    usageHint: "see the header of scripts/bench-retrieval.ts",
  });
  const config = loadConfig();
  const efSearch = flags.ef;
  const useCache = !flags["no-cache"];
  const dataDir = path.join(config.benchDataDir, "beir-scifact");
  const { docs, queries, qrels, corpusFile } = loadScifact(dataDir);
  console.log(`BEIR SciFact: ${docs.length} documents, ${qrels.size} test queries (${dataDir})`);

  const embedder = new TransformersEmbedder({ modelsDir: config.models.dir, batchSize: config.embedBatchSize });
  embedder.assertModelPresent();
  const docVectors = await embedCorpus(embedder, docs, corpusFile, useCache);

  const qids = [...qrels.keys()];
  const qVectors = await embedder.embedDocuments(qids.map((id) => queries.get(id)!));
  const queryVectors = new Map(qids.map((id, i) => [id, qVectors[i]!]));

  const buildStart = performance.now();
  const store = HnswStore.create({
    dir: path.resolve(".data/bench/scifact-index"),
    dimensions: embedder.dimensions,
    modelName: embedder.modelName,
    initialCapacity: docs.length,
  });
  store.addChunks(
    docs.map((d) => ({ id: d.id, docId: d.id, title: "", topic: "scifact", text: "", start: 0, end: d.text.length })),
    docVectors,
  );
  store.setEfSearch(efSearch);
  const buildMs = performance.now() - buildStart;
  const exact = evaluate(new ExactSearcher(store), queryVectors, qrels);
  const hnsw = evaluate(store, queryVectors, qrels);

  const p = (x: number) => x.toFixed(5);
  const d = (x: number) => (x >= 0 ? "+" : "") + x.toFixed(5);
  const rows = [
    ["metric", "exact", "hnsw", "published", "exact-pub", "hnsw-exact"],
    ["nDCG@10", p(exact.ndcg10), p(hnsw.ndcg10), p(PUBLISHED_NDCG10), d(exact.ndcg10 - PUBLISHED_NDCG10), d(hnsw.ndcg10 - exact.ndcg10)],
    ["recall@100", p(exact.recall100), p(hnsw.recall100), "-", "-", d(hnsw.recall100 - exact.recall100)],
    ["ms/query (search)", exact.msPerQuery.toFixed(3), hnsw.msPerQuery.toFixed(3), "-", "-", "-"],
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  console.log(
    `\nModel ${embedder.modelName} (int8 ONNX, max ${embedder.maxTokens} tokens); HNSW M=${store.params.m} efConstruction=${store.params.efConstruction} efSearch=${efSearch}, built in ${(buildMs / 1000).toFixed(1)}s`,
  );
  for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c]!)).join("  "));

  const problems: string[] = [];
  if (Math.abs(exact.ndcg10 - PUBLISHED_NDCG10) > TOLERANCE)
    problems.push(`exact nDCG@10 is more than ${TOLERANCE} from the published ${PUBLISHED_NDCG10}`);
  if (Math.abs(hnsw.ndcg10 - exact.ndcg10) > TOLERANCE) problems.push(`HNSW nDCG@10 is more than ${TOLERANCE} from exact search`);
  for (const problem of problems) console.error(`FAIL: ${problem}`);
  if (problems.length === 0) console.log(`OK: within ${TOLERANCE} of the published score, HNSW within ${TOLERANCE} of exact`);
  return problems.length === 0 ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof BenchDataError) {
    console.error(`bench:retrieval: bad benchmark data: ${error.message}`);
    process.exitCode = 2;
  } else {
    const appError = toAppError(error);
    console.error(`bench:retrieval failed [${appError.code}]: ${appError.message}`);
    process.exitCode = 2;
  }
}
