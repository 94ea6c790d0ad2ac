import { dot } from "../math/vector";
import type { TwoStepRetriever } from "../telemetry/traced-retriever";
import type { Chunk, ScoredChunk, SearchOptions } from "../vectorstore/types";
import { activeFaults } from "./fault-context";

type StoredEntries = Iterable<{ chunk: Chunk; vector: Float32Array }>;

/** What the shuffle needs besides the two search steps: every stored chunk with its vector (read from PostgreSQL, a promise). */
export interface ChunkSource extends Omit<TwoStepRetriever, "search"> {
  store(): Promise<{ entries(): StoredEntries | Promise<StoredEntries> }>;
}

/**
 * The knowledge base with `retrieval=shuffle`: in a turn that asks for it, the search returns
 * `k` passages drawn at random instead of the nearest ones, each scored by its real cosine
 * similarity to the query, so the retriever span carries the low scores a broken index would
 * produce. Other turns search as usual. Wrapped below the traced retriever: the
 * `vector_search` span records what the agent really got.
 */
export class FaultAwareRetriever implements TwoStepRetriever {
  constructor(
    private readonly inner: ChunkSource,
    private readonly random: () => number = Math.random,
  ) {}

  get modelName(): string {
    return this.inner.modelName;
  }

  embedQuery(query: string): Promise<Float32Array> {
    return this.inner.embedQuery(query);
  }

  async searchVector(vector: Float32Array, options: SearchOptions): Promise<ScoredChunk[]> {
    if (!activeFaults()?.retrievalShuffle) return this.inner.searchVector(vector, options);
    const entries = [...(await (await this.inner.store()).entries())].filter(
      (e) => options.topic === undefined || e.chunk.topic === options.topic,
    );
    const picked: ScoredChunk[] = [];
    while (picked.length < options.k && entries.length > 0) {
      const [entry] = entries.splice(Math.floor(this.random() * entries.length), 1);
      if (entry) picked.push({ ...entry.chunk, score: dot(vector, entry.vector) });
    }
    return picked.sort((a, b) => b.score - a.score);
  }

  async search(query: string, options: SearchOptions): Promise<ScoredChunk[]> {
    return this.searchVector(await this.embedQuery(query), options);
  }
}
