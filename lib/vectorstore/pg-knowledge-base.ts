import type pg from "pg";
import type { Embedder } from "../embeddings/types";
import { PgVectorStore } from "./pg-store";
import type { Retriever, ScoredChunk, SearchOptions } from "./types";

export interface PgKnowledgeBaseOptions {
  prefix?: string;
  efSearch?: number;
}

/**
 * The knowledge base on PostgreSQL (DATABASE_URL set): the same two public steps as the
 * in-process `KnowledgeBase` (embed locally, then search), so tracing and fault injection
 * wrap it alike. Nothing is cached between searches but the table names: every replica reads
 * the committed state, and a re-ingest shows up on the next search without a reload.
 */
export class PgKnowledgeBase implements Retriever {
  private storePromise: Promise<PgVectorStore> | undefined;

  constructor(
    readonly embedder: Embedder,
    private readonly pool: pg.Pool,
    private readonly options: PgKnowledgeBaseOptions = {},
  ) {}

  get modelName(): string {
    return this.embedder.modelName;
  }

  /** The opened store; `index_missing` until `npm run ingest` has filled the tables (retried on the next call). */
  store(): Promise<PgVectorStore> {
    if (!this.storePromise) {
      const opening = PgVectorStore.open(this.pool, {
        prefix: this.options.prefix,
        expectedModel: this.embedder.modelName,
        expectedDimensions: this.embedder.dimensions,
        efSearch: this.options.efSearch,
      });
      this.storePromise = opening;
      opening.catch(() => {
        if (this.storePromise === opening) this.storePromise = undefined;
      });
    }
    return this.storePromise;
  }

  embedQuery(query: string): Promise<Float32Array> {
    return this.embedder.embedQuery(query);
  }

  async searchVector(vector: Float32Array, options: SearchOptions): Promise<ScoredChunk[]> {
    return (await this.store()).searchVector(vector, options);
  }

  async search(query: string, options: SearchOptions): Promise<ScoredChunk[]> {
    // Open the store first: an empty database should fail fast, before the model loads.
    await this.store();
    return this.searchVector(await this.embedQuery(query), options);
  }
}
