import type pg from "pg";
import pgvector from "pgvector";
import { z } from "zod";
import { AppError } from "../errors";
import { databaseError } from "../postgres/pool";
import type { DocumentRecord } from "./hnsw-store-files";
import { DEFAULT_PG_HNSW, pgTables, type PgHnswParams, type PgTables } from "./pg-schema";
import type { Chunk, ScoredChunk, SearchOptions } from "./types";

/**
 * The knowledge base's vectors in PostgreSQL (pgvector, HNSW on cosine distance), read side:
 * what `HnswStore` answers in process, answered by SQL. Every search is one statement, so it
 * sees one committed state of the tables: an ingest in progress is invisible until it commits.
 * Built on `pg` + `pgvector` rather than @langchain/community's PGVectorStore, which writes
 * each add/delete as its own statement (no all-or-nothing ingest) and pulls in
 * @langchain/classic and langsmith.
 */
export interface OpenPgStoreOptions {
  prefix?: string;
  expectedModel?: string;
  expectedDimensions?: number;
  /** hnsw.ef_search; default the one saved by the ingest. */
  efSearch?: number;
}

const metaRowSchema = z.object({
  model: z.string(),
  dimensions: z.number().int().positive(),
  hnsw: z.object({ m: z.number(), efConstruction: z.number(), efSearch: z.number() }),
});
const chunkSchema = z.object({
  id: z.string(),
  docId: z.string(),
  title: z.string(),
  topic: z.string(),
  text: z.string(),
  start: z.number(),
  end: z.number(),
  effective: z.string().optional(),
  supersededBy: z.string().optional(),
});
const searchRowSchema = z.object({ chunk: chunkSchema, distance: z.number() });
const documentRowSchema = z.object({
  record: z.object({
    docId: z.string(),
    hash: z.string(),
    title: z.string(),
    topic: z.string(),
    updated: z.string().optional(),
    source: z.string().optional(),
    chunkIds: z.array(z.string()),
  }),
});

// The hnsw.* settings last sent on each pooled connection: one SET per connection and value, not per query.
const sessionSettings = new WeakMap<pg.PoolClient, string>();

export class PgVectorStore {
  readonly tables: PgTables;
  private efSearch: number;

  private constructor(
    private readonly pool: pg.Pool,
    tables: PgTables,
    readonly modelName: string,
    readonly dimensions: number,
    readonly params: PgHnswParams,
  ) {
    this.tables = tables;
    this.efSearch = params.efSearch;
  }

  /** Opens an ingested store; nothing ingested (or another model) is `index_missing`. */
  static async open(pool: pg.Pool, options: OpenPgStoreOptions = {}): Promise<PgVectorStore> {
    const tables = pgTables(options.prefix);
    let rows: unknown[];
    try {
      const exists = await pool.query<{ found: string | null }>("SELECT to_regclass($1)::text AS found", [tables.meta]);
      rows = exists.rows[0]?.found ? (await pool.query(`SELECT model, dimensions, hnsw FROM ${tables.meta}`)).rows : [];
    } catch (error) {
      throw databaseError(error, "reading the knowledge-base tables");
    }
    const missing = (why: string) =>
      new AppError("index_missing", `No usable knowledge base in PostgreSQL (${why}): run \`npm run ingest\``);
    if (rows.length === 0) throw missing(`${tables.meta} is empty or absent`);
    const meta = metaRowSchema.parse(rows[0]);
    if (options.expectedModel && meta.model !== options.expectedModel)
      throw missing(`built with ${meta.model}, not ${options.expectedModel}`);
    if (options.expectedDimensions && meta.dimensions !== options.expectedDimensions)
      throw missing(`${meta.dimensions} dimensions, not ${options.expectedDimensions}`);
    const store = new PgVectorStore(pool, tables, meta.model, meta.dimensions, { ...DEFAULT_PG_HNSW, ...meta.hnsw });
    if (options.efSearch) store.setEfSearch(options.efSearch);
    return store;
  }

  setEfSearch(ef: number): void {
    this.efSearch = Math.max(1, Math.min(1_000, Math.floor(ef)));
  }

  /**
   * Approximate nearest neighbours by cosine similarity. With a topic, pgvector's iterative
   * scan keeps walking the graph until `k` rows of that topic are found (when they exist),
   * as hnswlib's filter does in process.
   */
  async searchVector(vector: Float32Array, options: SearchOptions): Promise<ScoredChunk[]> {
    if (vector.length !== this.dimensions) {
      throw new AppError("internal", `Query vector has ${vector.length} dimensions, expected ${this.dimensions}`);
    }
    const k = Math.max(0, Math.floor(options.k));
    if (k === 0) return [];
    const ef = Math.max(this.efSearch, k);
    const literal = pgvector.toSql(Array.from(vector));
    const where = options.topic === undefined ? "" : "WHERE topic = $3";
    const sql = `SELECT chunk, embedding <=> $1::vector AS distance FROM ${this.tables.chunks} ${where} ORDER BY distance LIMIT $2`;
    const params = options.topic === undefined ? [literal, k] : [literal, k, options.topic];
    let client: pg.PoolClient | undefined;
    try {
      client = await this.pool.connect();
      const settings = `SET hnsw.ef_search = ${ef}; SET hnsw.iterative_scan = strict_order`;
      if (sessionSettings.get(client) !== settings) {
        await client.query(settings);
        sessionSettings.set(client, settings);
      }
      const { rows } = await client.query(sql, params);
      return rows.map((row) => {
        const { chunk, distance } = searchRowSchema.parse(row);
        return { ...chunk, score: 1 - distance };
      });
    } catch (error) {
      throw databaseError(error, "vector search");
    } finally {
      client?.release();
    }
  }

  /** The ingest manifest: one record per document, as `HnswStore.documents()`. */
  async documents(): Promise<DocumentRecord[]> {
    const { rows } = await this.pool.query(`SELECT record FROM ${this.tables.documents} ORDER BY doc_id`);
    return rows.map((row) => documentRowSchema.parse(row).record);
  }

  async count(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${this.tables.chunks}`);
    return rows[0]?.n ?? 0;
  }

  /**
   * Changes whenever an ingest changed the knowledge base (the writer rewrites the meta row in its
   * transaction): what a cache of anything derived from the chunks compares, since another
   * process may ingest while this store is open.
   */
  async generation(): Promise<string> {
    try {
      const { rows } = await this.pool.query<{ at: string }>(`SELECT updated_at::text AS at FROM ${this.tables.meta}`);
      return rows[0]?.at ?? "";
    } catch (error) {
      throw databaseError(error, "reading the knowledge base's generation");
    }
  }

  /** Every chunk, without its vector (the corpus vocabulary). */
  async listChunks(): Promise<Chunk[]> {
    const { rows } = await this.pool.query<{ chunk: unknown }>(`SELECT chunk FROM ${this.tables.chunks} ORDER BY id`);
    return rows.map((row) => chunkSchema.parse(row.chunk));
  }

  /** Every chunk with its vector (fault injection's shuffle, exact search in benchmarks): reads the whole table. */
  async entries(): Promise<{ chunk: Chunk; vector: Float32Array }[]> {
    const { rows } = await this.pool.query<{ chunk: unknown; embedding: string }>(
      `SELECT chunk, embedding::text AS embedding FROM ${this.tables.chunks} ORDER BY id`,
    );
    return rows.map((row) => ({
      chunk: chunkSchema.parse(row.chunk),
      vector: Float32Array.from(pgvector.fromSql(row.embedding) as number[]),
    }));
  }

  /** Bytes on disk: the chunk table (with TOAST) and its indexes, and the manifest. */
  async diskUsage(): Promise<{ tableBytes: number; indexBytes: number; totalBytes: number }> {
    const t = this.tables;
    const { rows } = await this.pool.query<{ table_bytes: string; index_bytes: string; other_bytes: string }>(
      `SELECT pg_table_size($1) AS table_bytes, pg_indexes_size($1) AS index_bytes,
              pg_total_relation_size($2) + pg_total_relation_size($3) AS other_bytes`,
      [t.chunks, t.documents, t.meta],
    );
    const row = rows[0];
    const tableBytes = Number(row?.table_bytes ?? 0);
    const indexBytes = Number(row?.index_bytes ?? 0);
    return { tableBytes, indexBytes, totalBytes: tableBytes + indexBytes + Number(row?.other_bytes ?? 0) };
  }
}
