/**
 * `npm run bench:scale`: the knowledge base's two vector stores side by side at scale: the
 * in-process HNSW index (hnswlib) and pgvector's HNSW in PostgreSQL, loaded with the same
 * `--n` rows (default 100,000): the 5,183 real BEIR SciFact abstracts with their real
 * embeddings, then synthetic rows (scripts/bench-scale/dataset.ts says how they are made).
 * For each store: build/ingest time, memory, disk, and over SciFact's 300 test queries the
 * search p50/p95 (search only, and embed + search) and recall@10 against exact search
 * (lib/vectorstore/exact-searcher.ts). Each store's ef_search is chosen on dev queries (SciFact
 * train queries, never the test ones): the smallest that reaches --target recall.
 * PostgreSQL is a temporary cluster from the project's venv unless --database-url names one.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { loadConfig } from "../lib/config";
import { TransformersEmbedder } from "../lib/embeddings/transformers-embedder";
import { createPool } from "../lib/postgres/pool";
import { startTemporaryPostgres } from "../lib/postgres/temporary-postgres";
import { childPids } from "../lib/process/proc-status";
import { ExactSearcher } from "../lib/vectorstore/exact-searcher";
import { DEFAULT_PG_HNSW } from "../lib/vectorstore/pg-schema";
import { scaleItems } from "./bench-scale/dataset";
import { chooseEf, runQueries, treePssBytes, type SweepPoint } from "./bench-scale/measure";
import { printReport, type StoreReport } from "./bench-scale/report";
import { buildHnsw, buildPg } from "./bench-scale/stores";
import { embedCorpus, loadScifact } from "./bench-scifact";
import { stats } from "./bench-stats";
import { splitList } from "./cli/list-flags";
import { flagsOrUsage, runCli } from "./run-cli";

const USAGE = `Usage: npm run bench:scale [-- --n 100000] [--m 16] [--ef-construction 64] [--ef 10,20,40,64,100,200]
                           [--target 0.95] [--database-url postgresql://…] [--json FILE]

Options:
  --n N                rows in each store (default 100000; the first 5,183 are real SciFact, the rest synthetic)
  --m, --ef-construction   pgvector HNSW build settings (default ${DEFAULT_PG_HNSW.m}, ${DEFAULT_PG_HNSW.efConstruction})
  --ef LIST            ef_search values tried on the dev queries, for both stores
  --target R           the dev recall@10 an ef must reach to be chosen (default 0.97: a margin over the
                       0.95 goal, which the separate test queries must meet)
  --dev N              dev queries (SciFact train queries; default 200)
  --database-url URL   use this PostgreSQL (tables bench_scale_*) instead of a temporary cluster
  --json FILE          also write the figures here (default .data/bench/scale-<n>.json)
Environment: BENCH_DATA_DIR (SciFact under beir-scifact/), MODELS_DIR.`;

const flagsSchema = z.object({
  n: z.coerce.number().int().min(100).max(2_000_000).default(100_000),
  m: z.coerce.number().int().min(2).max(100).default(DEFAULT_PG_HNSW.m),
  "ef-construction": z.coerce.number().int().min(4).max(1000).default(DEFAULT_PG_HNSW.efConstruction),
  ef: z.string().default("10,20,40,64,100,200"),
  target: z.coerce.number().min(0).max(1).default(0.97),
  dev: z.coerce.number().int().min(10).max(800).default(200),
  "database-url": z.string().optional(),
  json: z.string().optional(),
  help: z.boolean().default(false),
});

const K = 10;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Dev queries (SciFact train: never scored) and the test queries, each embedded alone and timed. */
async function embedQueries(
  embedder: TransformersEmbedder,
  queries: Map<string, string>,
  testIds: string[],
  devCount: number,
  qrels: Map<string, unknown>,
): Promise<{ dev: Float32Array[]; test: Float32Array[]; embedMs: number[] }> {
  const devIds = [...queries.keys()].filter((id) => !qrels.has(id)).slice(0, devCount);
  const dev: Float32Array[] = [];
  for (const id of devIds) dev.push(await embedder.embedQuery(queries.get(id)!));
  const test: Float32Array[] = [];
  const embedMs: number[] = [];
  for (const id of testIds) {
    const started = performance.now();
    test.push(await embedder.embedQuery(queries.get(id)!));
    embedMs.push(performance.now() - started);
  }
  return { dev, test, embedMs };
}

async function main(): Promise<number> {
  const flags = flagsOrUsage(process.argv.slice(2), flagsSchema, { booleans: ["help"], short: { h: "help" } }, USAGE);
  if (typeof flags === "number") return flags;
  const efs = splitList(flags.ef).map((v) => z.coerce.number().int().min(1).max(1000).parse(v));
  const config = loadConfig();
  const { docs, queries, qrels, corpusFile } = loadScifact(path.join(config.benchDataDir, "beir-scifact"));
  const embedder = new TransformersEmbedder({ modelsDir: config.models.dir, batchSize: config.embedBatchSize });
  embedder.assertModelPresent();
  const docVectors = await embedCorpus(embedder, docs, corpusFile, true);

  const { dev, test, embedMs } = await embedQueries(embedder, queries, [...qrels.keys()], flags.dev, qrels);
  const embed = stats(embedMs);
  console.log(
    `Query embedding (${test.length} test queries, one at a time): p50 ${embed.p50.toFixed(1)} ms (${(1000 / embed.mean).toFixed(0)}/s)`,
  );

  const items = scaleItems(docs, docVectors, flags.n);
  const real = Math.min(flags.n, docs.length);
  console.log(`Rows: ${flags.n} = ${real} real SciFact embeddings + ${flags.n - real} synthetic (mixes of two real ones + noise)`);

  console.log("Building the in-process HNSW index ...");
  const hnsw = await buildHnsw(items, embedder.modelName, path.join(root, ".data", "bench", `scale-hnsw-${flags.n}`));
  const exact = new ExactSearcher(hnsw.store);
  const truth = (vectors: Float32Array[]) => vectors.map((v) => exact.searchVector(v, { k: K }).map((c) => c.id));
  const devTruth = truth(dev);
  const testTruth = truth(test);

  const db = flags["database-url"]
    ? undefined
    : await startTemporaryPostgres({
        root,
        database: "bench",
        settings: { shared_buffers: "512MB", max_parallel_maintenance_workers: "1" },
      });
  const pool = createPool({ url: flags["database-url"] ?? db!.url, poolMax: 2, connectTimeoutMs: 10_000 });
  try {
    const pgParams = { m: flags.m, efConstruction: flags["ef-construction"], efSearch: DEFAULT_PG_HNSW.efSearch };
    console.log(`Loading PostgreSQL (pgvector HNSW m=${pgParams.m} ef_construction=${pgParams.efConstruction}) in one transaction ...`);
    const pgBuilt = await buildPg(pool, items, embedder.modelName, pgParams);

    const reports: StoreReport[] = [];
    for (const [name, built, settings] of [
      ["in-process HNSW (hnswlib)", hnsw, `M=${hnsw.store.params.m} efConstruction=${hnsw.store.params.efConstruction}`],
      ["PostgreSQL pgvector HNSW", pgBuilt, `m=${pgParams.m} ef_construction=${pgParams.efConstruction}`],
    ] as const) {
      const sweep: { chosen: number; points: SweepPoint[] } = await chooseEf(built.searcher, efs, dev, devTruth, K, flags.target);
      built.searcher.setEf(sweep.chosen);
      const run = await runQueries(built.searcher, test, testTruth, K);
      reports.push({
        name,
        settings: `${settings} ef_search=${sweep.chosen}`,
        buildMs: built.buildMs,
        search: stats(run.ms),
        embedAndSearch: stats(run.ms.map((ms, i) => ms + embedMs[i]!)),
        recall: run.recall,
        sweep: sweep.points,
        diskBytes: built.diskBytes,
        memoryBytes: built.memoryBytes,
      });
    }
    const pss = db ? treePssBytes(db.process.pid, (f) => fs.readFileSync(f, "utf8"), childPids) : undefined;
    reports[1]!.memoryBytes = pss;
    const out = path.resolve(flags.json ?? path.join(root, ".data", "bench", `scale-${flags.n}.json`));
    printReport({ n: flags.n, real, testQueries: test.length, devQueries: dev.length, embed, reports, target: flags.target }, out);
    return 0;
  } finally {
    await pool.end();
    await db?.stop();
  }
}

runCli(main);
