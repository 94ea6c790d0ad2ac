import type pg from "pg";
import type { Embedder } from "../embeddings/types";
import { PgVectorStore } from "./pg-store";
import { StoreRetriever } from "./store-retriever";

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
export class PgKnowledgeBase extends StoreRetriever<PgVectorStore> {
  private storePromise: Promise<PgVectorStore> | undefined;

  constructor(
    embedder: Embedder,
    private readonly pool: pg.Pool,
    private readonly options: PgKnowledgeBaseOptions = {},
  ) {
    super(embedder);
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
}
