import type { Embedder } from "./types";

/**
 * Vectors of texts embedded before, per embedder, least recently used first out. Evidence
 * units are the same few thousand sentences of the corpus turn after turn; embedding them
 * again on every answer costs more than the search itself. 10,000 vectors of 384 floats
 * hold about 15 MB.
 */
const MAX_ENTRIES = 10_000;
const caches = new WeakMap<Embedder, Map<string, Float32Array>>();

function cacheFor(embedder: Embedder): Map<string, Float32Array> {
  let cache = caches.get(embedder);
  if (!cache) {
    cache = new Map();
    caches.set(embedder, cache);
  }
  return cache;
}

/** `embedder.embedDocuments(texts)`, embedding only the texts it has not seen lately. */
export async function embedDocumentsCached(embedder: Embedder, texts: readonly string[]): Promise<Float32Array[]> {
  const cache = cacheFor(embedder);
  const missing = [...new Set(texts.filter((t) => !cache.has(t)))];
  if (missing.length > 0) {
    const vectors = await embedder.embedDocuments(missing);
    missing.forEach((text, i) => cache.set(text, vectors[i]!));
  }
  const result = texts.map((text) => {
    const vector = cache.get(text)!;
    // Re-insert: Map order is the recency order.
    cache.delete(text);
    cache.set(text, vector);
    return vector;
  });
  while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  return result;
}
