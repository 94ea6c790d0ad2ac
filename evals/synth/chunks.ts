// The modules, not lib/ingest's index, which would load the native HNSW binding for nothing.
import { chunkDocument, type ChunkingOptions } from "../../lib/ingest/chunker";
import { loadCorpus } from "../../lib/ingest/corpus";
import type { Chunk } from "../../lib/vectorstore/types";
import { shuffle } from "../seeded-shuffle";

/**
 * The chunks synthetic questions are written from. They are cut from the corpus with the
 * ingest chunker and the configured chunk size, so their ids (`<docId>#<n>`) are the ones the
 * index holds, without needing the index to exist.
 */

/** A chunk shorter than this is usually a lone heading or table header: nothing to ask about. */
export const MIN_CHUNK_CHARS = 200;

/** Every chunk of every corpus document long enough to ask about, in corpus order (file name, then ordinal). */
export async function loadSourceChunks(corpusDir: string, chunking: ChunkingOptions, minChars = MIN_CHUNK_CHARS): Promise<Chunk[]> {
  const chunks: Chunk[] = [];
  for (const doc of loadCorpus(corpusDir)) {
    for (const chunk of await chunkDocument(doc, chunking)) {
      if (chunk.text.trim().length >= minChars) chunks.push(chunk);
    }
  }
  return chunks;
}

/**
 * `count` chunks drawn without replacement by a seeded Fisher-Yates shuffle. Deterministic
 * for a given corpus, chunking and seed; all chunks (shuffled) when `count` exceeds them.
 */
export function sampleChunks<T>(chunks: readonly T[], count: number, seed: number): T[] {
  return shuffle(chunks, seed).slice(0, Math.max(0, count));
}
