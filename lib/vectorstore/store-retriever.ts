import type { Embedder } from "../embeddings/types";
import type { Retriever, ScoredChunk, SearchOptions } from "./types";

/** A store that answers a vector query: the in-process HNSW index or pgvector. */
interface SearchesVectors {
  searchVector(vector: Float32Array, options: SearchOptions): ScoredChunk[] | Promise<ScoredChunk[]>;
}

/**
 * The `Retriever` both knowledge bases share: embed the query locally, then search the store.
 * `embedQuery` and `searchVector` are public so callers can trace the two steps as separate
 * spans (`embed_query`, `vector_search`). Subclasses say how the store opens.
 */
export abstract class StoreRetriever<Store extends SearchesVectors> implements Retriever {
  constructor(readonly embedder: Embedder) {}

  /** The opened store; throws `index_missing` (run `npm run ingest`) when there is none. */
  abstract store(): Promise<Store>;

  get modelName(): string {
    return this.embedder.modelName;
  }

  embedQuery(query: string): Promise<Float32Array> {
    return this.embedder.embedQuery(query);
  }

  async searchVector(vector: Float32Array, options: SearchOptions): Promise<ScoredChunk[]> {
    return (await this.store()).searchVector(vector, options);
  }

  async search(query: string, options: SearchOptions): Promise<ScoredChunk[]> {
    // Open the store first: a missing index should fail fast, before the model loads.
    await this.store();
    return this.searchVector(await this.embedQuery(query), options);
  }
}
