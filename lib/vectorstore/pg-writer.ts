import type pg from "pg";
import pgvector from "pgvector";
import { AppError } from "../errors";
import type { DocumentRecord } from "./hnsw-store-files";
import { createHnswIndex, ensureManifestTables, recreateChunkTable, type PgHnswParams, type PgTables } from "./pg-schema";
import type { Chunk } from "./types";

/**
 * The write side of the pgvector store: an ingest's whole change (documents replaced, removed,
 * or everything on a rebuild) lands in one transaction, so every reader on every replica sees
 * either the previous knowledge base or the new one, never a mix. Incremental changes do not
 * block readers (MVCC); a rebuild recreates the chunk table, and readers wait for its commit.
 */
export interface PgDocumentUpsert {
  record: Omit<DocumentRecord, "chunkIds">;
  chunks: Chunk[];
  vectors: Float32Array[];
}

export interface PgIngestChange {
  model: string;
  dimensions: number;
  hnsw: PgHnswParams;
  /** Drop everything and load `upserts` as the whole knowledge base. */
  rebuild: boolean;
  upserts: PgDocumentUpsert[];
  removed: string[];
}

export interface PgManifest {
  meta?: { model: string; dimensions: number };
  documents: Map<string, DocumentRecord>;
}

const INSERT_BATCH = 500;

/**
 * Runs `work` holding the store's ingest lock (a session advisory lock): a second ingest into the
 * same tables, from any machine, is refused at once (`resource_busy`) rather than interleaved.
 */
export async function withPgIngestLock<T>(pool: pg.Pool, t: PgTables, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const key = `rag-ingest:${t.prefix}`;
  try {
    const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock(hashtext($1)) AS locked", [key]);
    if (!rows[0]?.locked)
      throw new AppError(
        "resource_busy",
        `Another ingest into the PostgreSQL knowledge base (${t.prefix}) is running; try again when it ends.`,
      );
    try {
      await ensureManifestTables(client, t);
      return await work(client);
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtext($1))", [key]);
    }
  } finally {
    client.release();
  }
}

export async function readManifest(client: pg.ClientBase, t: PgTables): Promise<PgManifest> {
  const meta = await client.query<{ model: string; dimensions: number }>(`SELECT model, dimensions FROM ${t.meta}`);
  const docs = await client.query<{ record: DocumentRecord }>(`SELECT record FROM ${t.documents}`);
  const chunkTable = await client.query<{ found: string | null }>("SELECT to_regclass($1)::text AS found", [t.chunks]);
  const row = meta.rows[0];
  return {
    // Without the chunk table the manifest describes nothing: treat it as a first ingest.
    ...(row && chunkTable.rows[0]?.found ? { meta: { model: row.model, dimensions: row.dimensions } } : {}),
    documents: new Map(docs.rows.map((r) => [r.record.docId, r.record])),
  };
}

async function insertChunks(client: pg.ClientBase, t: PgTables, chunks: Chunk[], vectors: Float32Array[]): Promise<void> {
  for (let i = 0; i < chunks.length; i += INSERT_BATCH) {
    const part = chunks.slice(i, i + INSERT_BATCH);
    await client.query(
      `INSERT INTO ${t.chunks} (id, doc_id, topic, chunk, embedding)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::vector[])`,
      [
        part.map((c) => c.id),
        part.map((c) => c.docId),
        part.map((c) => c.topic),
        part.map((c) => JSON.stringify(c)),
        part.map((_, j) => pgvector.toSql(Array.from(vectors[i + j] as Float32Array))),
      ],
    );
  }
}

/** Applies one ingest in one transaction (see the module comment). */
export async function applyPgIngest(client: pg.ClientBase, t: PgTables, change: PgIngestChange): Promise<void> {
  await client.query("BEGIN");
  try {
    // An HNSW build that outgrows maintenance_work_mem gets much slower; 100k 384-d vectors need ~250 MB.
    await client.query("SET LOCAL maintenance_work_mem = '512MB'");
    if (change.rebuild) {
      await recreateChunkTable(client, t, change.dimensions);
      await client.query(`DELETE FROM ${t.documents}`);
    }
    const gone = [...change.removed, ...change.upserts.map((u) => u.record.docId)];
    if (!change.rebuild && gone.length > 0) {
      await client.query(`DELETE FROM ${t.chunks} WHERE doc_id = ANY($1::text[])`, [gone]);
      await client.query(`DELETE FROM ${t.documents} WHERE doc_id = ANY($1::text[])`, [gone]);
    }
    for (const { record, chunks, vectors } of change.upserts) {
      if (chunks.length !== vectors.length)
        throw new AppError("internal", `${record.docId}: ${chunks.length} chunks but ${vectors.length} vectors`);
    }
    await insertChunks(
      client,
      t,
      change.upserts.flatMap((u) => u.chunks),
      change.upserts.flatMap((u) => u.vectors),
    );
    const records: DocumentRecord[] = change.upserts.map(({ record, chunks }) => ({ ...record, chunkIds: chunks.map((c) => c.id) }));
    for (let i = 0; i < records.length; i += INSERT_BATCH) {
      const part = records.slice(i, i + INSERT_BATCH);
      await client.query(`INSERT INTO ${t.documents} (doc_id, hash, record) SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[])`, [
        part.map((r) => r.docId),
        part.map((r) => r.hash),
        part.map((r) => JSON.stringify(r)),
      ]);
    }
    if (change.rebuild) await createHnswIndex(client, t, change.hnsw);
    await client.query(
      `INSERT INTO ${t.meta} (singleton, model, dimensions, hnsw, updated_at) VALUES (TRUE, $1, $2, $3, now())
       ON CONFLICT (singleton) DO UPDATE SET model = EXCLUDED.model, dimensions = EXCLUDED.dimensions, hnsw = EXCLUDED.hnsw, updated_at = now()`,
      [change.model, change.dimensions, JSON.stringify(change.hnsw)],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  }
}
