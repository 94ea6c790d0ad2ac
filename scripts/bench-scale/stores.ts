import fs from "node:fs";
import type pg from "pg";
import { HnswStore } from "../../lib/vectorstore/hnsw-store";
import { pgTables, type PgHnswParams } from "../../lib/vectorstore/pg-schema";
import { PgVectorStore } from "../../lib/vectorstore/pg-store";
import { applyPgIngest, withPgIngestLock } from "../../lib/vectorstore/pg-writer";
import type { ScaleItem } from "./dataset";
import type { BenchSearcher } from "./measure";

/** The two stores `npm run bench:scale` compares, each loaded the way the app would load it. */

export interface Built<S> {
  store: S;
  searcher: BenchSearcher;
  buildMs: number;
  /** hnswlib: the saved index and docstore, which a replica loads whole into its heap; PostgreSQL: measured by the caller. */
  memoryBytes?: number;
  diskBytes: number;
}

export async function buildHnsw(items: readonly ScaleItem[], modelName: string, dir: string): Promise<Built<HnswStore>> {
  fs.rmSync(dir, { recursive: true, force: true });
  const started = performance.now();
  const store = HnswStore.create({ dir, dimensions: items[0]!.vector.length, modelName, initialCapacity: items.length });
  store.addChunks(
    items.map((item) => item.chunk),
    items.map((item) => item.vector),
  );
  const buildMs = performance.now() - started;
  await store.save();
  const diskBytes = store.diskUsage().totalBytes;
  return {
    store,
    buildMs,
    memoryBytes: diskBytes,
    diskBytes,
    searcher: {
      setEf: (ef) => store.setEfSearch(ef),
      search: (vector, k) => Promise.resolve(store.searchVector(vector, { k }).map((c) => c.id)),
    },
  };
}

export const BENCH_PREFIX = "bench_scale";

/** One ingest transaction as `npm run ingest` writes it on a rebuild: rows, then the HNSW index, then commit. */
export async function buildPg(
  pool: pg.Pool,
  items: readonly ScaleItem[],
  modelName: string,
  hnsw: PgHnswParams,
): Promise<Built<PgVectorStore>> {
  const tables = pgTables(BENCH_PREFIX);
  const dimensions = items[0]!.vector.length;
  const started = performance.now();
  await withPgIngestLock(pool, tables, (client) =>
    applyPgIngest(client, tables, {
      model: modelName,
      dimensions,
      hnsw,
      rebuild: true,
      upserts: items.map((item) => ({
        record: { docId: item.chunk.docId, hash: "bench", title: item.chunk.title, topic: item.chunk.topic },
        chunks: [item.chunk],
        vectors: [item.vector],
      })),
      removed: [],
    }),
  );
  const buildMs = performance.now() - started;
  // Fresh statistics, as autovacuum would have them on a serving database.
  await pool.query(`ANALYZE ${tables.chunks}`);
  const store = await PgVectorStore.open(pool, { prefix: BENCH_PREFIX, expectedModel: modelName, expectedDimensions: dimensions });
  return {
    store,
    buildMs,
    diskBytes: (await store.diskUsage()).totalBytes,
    searcher: {
      setEf: (ef) => store.setEfSearch(ef),
      search: async (vector, k) => (await store.searchVector(vector, { k })).map((c) => c.id),
    },
  };
}
