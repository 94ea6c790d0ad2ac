/** A piece of a corpus document, as stored beside the vector index. */
export interface Chunk {
  /** Stable id: `<docId>#<ordinal>`. */
  id: string;
  docId: string;
  title: string;
  topic: string;
  text: string;
  /** Character offsets of `text` inside the document body. */
  start: number;
  end: number;
  /** When the document takes effect (YYYY-MM-DD); absent in indexes built before it was recorded. */
  effective?: string;
  /** The id of the document that replaces this chunk's document, when one does. */
  supersededBy?: string;
}

export interface ScoredChunk extends Chunk {
  /** Cosine similarity in [-1, 1]; higher is closer. */
  score: number;
}

export interface SearchOptions {
  k: number;
  topic?: string;
}

/** What the agent needs from a knowledge base; HNSW today, pgvector tomorrow. */
export interface Retriever {
  search(query: string, options: SearchOptions): Promise<ScoredChunk[]>;
}

/** Anything that answers a vector query; HNSW and exact search share this shape. */
export interface VectorSearcher {
  searchVector(vector: Float32Array, options: SearchOptions): ScoredChunk[];
}
