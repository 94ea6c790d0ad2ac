import type pg from "pg";
import type { Embedder } from "../embeddings/types";
import { databaseError } from "../postgres/pool";
import { DEFAULT_PG_HNSW, pgTables, type PgHnswParams } from "../vectorstore/pg-schema";
import { applyPgIngest, readManifest, withPgIngestLock } from "../vectorstore/pg-writer";
import type { ChunkingOptions } from "./chunker";
import { loadCorpus } from "./corpus";
import { embedWork, planIngest, type IngestPlan, type IngestSummary } from "./ingest-plan";

export interface PgIngestOptions {
  pool: pg.Pool;
  /** Table prefix (default `kb`, the app's). */
  prefix?: string;
  corpusDir: string;
  chunking: ChunkingOptions;
  embedder: Embedder;
  batchSize?: number;
  hnsw?: Partial<PgHnswParams>;
  onPlan?: (plan: IngestPlan) => void;
  onProgress?: (chunksEmbedded: number, chunksToEmbed: number) => void;
}

/**
 * `npm run ingest` with DATABASE_URL set: the same incremental plan as the on-disk index
 * (ingest.ts), written to PostgreSQL. Embedding happens before the transaction, so the
 * transaction itself is short; one ingest at a time per table set (advisory lock).
 */
export async function ingestCorpusToPostgres(options: PgIngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const docs = loadCorpus(options.corpusDir);
  const tables = pgTables(options.prefix);
  const { embedder } = options;
  try {
    return await withPgIngestLock(options.pool, tables, async (client) => {
      const manifest = await readManifest(client, tables);
      const rebuild = manifest.meta?.model !== embedder.modelName || manifest.meta.dimensions !== embedder.dimensions;
      const storedHashes = new Map<string, string>(rebuild ? [] : [...manifest.documents].map(([docId, record]) => [docId, record.hash]));
      const { plan, work } = await planIngest({ docs, storedHashes, rebuild, chunking: options.chunking, modelName: embedder.modelName });
      options.onPlan?.(plan);
      const vectors = await embedWork(work, embedder, options.batchSize ?? 32, options.onProgress);
      const changed = rebuild || work.length > 0 || plan.removed.length > 0;
      let offset = 0;
      const upserts = work.map(({ doc, hash, chunks }) => {
        const upsert = {
          record: { docId: doc.id, hash, title: doc.title, topic: doc.topic, updated: doc.updated, source: doc.source },
          chunks,
          vectors: vectors.slice(offset, offset + chunks.length),
        };
        offset += chunks.length;
        return upsert;
      });
      const hnsw = { ...DEFAULT_PG_HNSW, ...options.hnsw };
      if (changed) {
        await applyPgIngest(client, tables, {
          model: embedder.modelName,
          dimensions: embedder.dimensions,
          hnsw,
          rebuild,
          upserts,
          removed: plan.removed,
        });
      }
      const counts = await client.query<{ documents: number; chunks: number }>(
        `SELECT (SELECT count(*)::int FROM ${tables.documents}) AS documents, (SELECT count(*)::int FROM ${tables.chunks}) AS chunks`,
      );
      return {
        added: plan.added.length,
        updated: plan.updated.length,
        removed: plan.removed.length,
        unchanged: plan.unchanged.length,
        chunksEmbedded: vectors.length,
        ms: Math.round(performance.now() - started),
        documents: counts.rows[0]?.documents ?? 0,
        chunks: counts.rows[0]?.chunks ?? 0,
        rebuilt: rebuild,
        saved: changed,
      };
    });
  } catch (error) {
    throw databaseError(error, "ingest into PostgreSQL");
  }
}
