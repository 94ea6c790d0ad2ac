import type pg from "pg";
import { AppError } from "../errors";

/**
 * The tables the pgvector store keeps, all named from one prefix (the app's `kb`; benchmarks
 * use their own): `<p>_meta` (one row: embedding model, dimensions, HNSW settings),
 * `<p>_documents` (the ingest manifest: one row per source document with its content hash)
 * and `<p>_chunks` (the docstore and the vectors, with an HNSW index on cosine distance).
 */
export interface PgTables {
  prefix: string;
  meta: string;
  documents: string;
  chunks: string;
  hnswIndex: string;
}

/** pgvector HNSW settings. Build: `m`, `efConstruction`; query: `efSearch` (raised to `k`). */
export interface PgHnswParams {
  m: number;
  efConstruction: number;
  efSearch: number;
}

/** Chosen with `npm run bench:scale` on SciFact dev queries (see README, Scale-out on PostgreSQL). */
export const DEFAULT_PG_HNSW: PgHnswParams = { m: 16, efConstruction: 128, efSearch: 64 };

export const DEFAULT_PG_PREFIX = "kb";

export function pgTables(prefix: string = DEFAULT_PG_PREFIX): PgTables {
  if (!/^[a-z][a-z0-9_]{0,30}$/.test(prefix))
    throw new AppError("config_invalid", `table prefix "${prefix}": lower-case letters, digits and _`);
  return {
    prefix,
    meta: `${prefix}_meta`,
    documents: `${prefix}_documents`,
    chunks: `${prefix}_chunks`,
    hnswIndex: `${prefix}_chunks_embedding_hnsw`,
  };
}

/** Meta and manifest: created once, never dropped (their rows are replaced inside ingest transactions). */
export async function ensureManifestTables(client: pg.ClientBase, t: PgTables): Promise<void> {
  await client.query(`CREATE EXTENSION IF NOT EXISTS vector`);
  await client.query(`CREATE TABLE IF NOT EXISTS ${t.meta} (
    singleton BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    model TEXT NOT NULL,
    dimensions INTEGER NOT NULL,
    hnsw JSONB NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
  )`);
  await client.query(`CREATE TABLE IF NOT EXISTS ${t.documents} (
    doc_id TEXT PRIMARY KEY,
    hash TEXT NOT NULL,
    record JSONB NOT NULL
  )`);
}

/**
 * (Re)creates the chunk table for `dimensions` without its HNSW index: a full rebuild loads
 * rows first and indexes once (pgvector builds an index far faster than it inserts into one).
 * Runs inside the rebuild's transaction, so readers wait for the commit and then see the new table whole.
 */
export async function recreateChunkTable(client: pg.ClientBase, t: PgTables, dimensions: number): Promise<void> {
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > 16_000)
    throw new AppError("internal", `bad dimensions ${dimensions}`);
  await client.query(`DROP TABLE IF EXISTS ${t.chunks}`);
  await client.query(`CREATE TABLE ${t.chunks} (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL,
    topic TEXT NOT NULL,
    chunk JSONB NOT NULL,
    embedding vector(${dimensions}) NOT NULL
  )`);
  await client.query(`CREATE INDEX ${t.chunks}_doc_id ON ${t.chunks} (doc_id)`);
}

export async function createHnswIndex(client: pg.ClientBase, t: PgTables, params: PgHnswParams): Promise<void> {
  const m = Math.floor(params.m);
  const ef = Math.floor(params.efConstruction);
  if (!(m >= 2 && m <= 100 && ef >= 4 && ef <= 1_000)) throw new AppError("internal", `bad HNSW params m=${m} ef_construction=${ef}`);
  await client.query(
    `CREATE INDEX ${t.hnswIndex} ON ${t.chunks} USING hnsw (embedding vector_cosine_ops) WITH (m = ${m}, ef_construction = ${ef})`,
  );
}
