import { dot } from "../math/vector";
import type { HnswStore } from "./hnsw-store";
import type { Chunk, ScoredChunk, SearchOptions, VectorSearcher } from "./types";

/**
 * Brute-force cosine search over a snapshot of a store's vectors: the ground truth
 * HNSW is measured against (`npm run bench:retrieval`). Same `searchVector` shape as `HnswStore`.
 */
export class ExactSearcher implements VectorSearcher {
  private readonly chunks: Chunk[];
  private readonly matrix: Float32Array;
  readonly dimensions: number;

  constructor(store: HnswStore) {
    this.dimensions = store.dimensions;
    const entries = [...store.entries()];
    this.chunks = entries.map((e) => e.chunk);
    this.matrix = new Float32Array(entries.length * this.dimensions);
    entries.forEach((e, i) => this.matrix.set(e.vector, i * this.dimensions));
  }

  searchVector(vector: Float32Array, options: SearchOptions): ScoredChunk[] {
    const d = this.dimensions;
    const norm = Math.sqrt(dot(vector, vector)) || 1;
    const k = Math.max(0, Math.floor(options.k));
    const scored: { i: number; score: number }[] = [];
    for (let i = 0; i < this.chunks.length; i++) {
      if (options.topic !== undefined && this.chunks[i]?.topic !== options.topic) continue;
      scored.push({ i, score: dot(this.matrix.subarray(i * d, (i + 1) * d), vector) / norm });
    }
    scored.sort((a, b) => b.score - a.score);
    return scored.slice(0, k).map(({ i, score }) => ({ ...(this.chunks[i] as Chunk), score }));
  }
}
