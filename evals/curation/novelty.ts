import type { Embedder } from "@/lib/embeddings/types";
import { dot } from "@/lib/math/vector";

/**
 * Novelty and near-duplicates by the cosine similarity of all-MiniLM-L6-v2 embeddings (the
 * app's embedder; its vectors are L2-normalised, so a dot product is the cosine).
 *
 * Thresholds, measured on the 277 distinct messages of manual.jsonl + routing.jsonl:
 * - Each message's nearest other message: p10 0.41, p25 0.54, median 0.69. Off-topic questions
 *   (weather, poems, football, translation) are 0.20–0.31 from their nearest item; in-domain
 *   questions the datasets do not ask (ACME portal password, R100 vs R200 battery) 0.54–0.72.
 *   NOVEL_BELOW = 0.5: a query farther from every item than three quarters of the items are
 *   from their own nearest neighbour is a topic the datasets do not cover.
 * - Pairs at 0.90 and above are the same question reworded (casing, a typo, "a" → "the", an
 *   insult prefixed: "How many PTO days do new hires get?" / "…does a new employee get?" 0.90,
 *   "total units of PowerCell P3 sold in 2025" / "How many PowerCell P3 units were sold in
 *   2025 in total?" 0.92); between 0.84 and 0.90 sit different questions on one subject ("How
 *   much will the SkyHook S20 cost?" / "average unit price of the SkyHook S10" 0.84).
 *   DUPLICATE_AT = 0.9.
 */
export const NOVEL_BELOW = 0.5;
export const DUPLICATE_AT = 0.9;

/** The most similar vector of the pool, or undefined for an empty pool. */
export function nearest(vector: Float32Array, pool: readonly Float32Array[]): { index: number; similarity: number } | undefined {
  let best: { index: number; similarity: number } | undefined;
  pool.forEach((candidate, index) => {
    const similarity = dot(vector, candidate);
    if (!best || similarity > best.similarity) best = { index, similarity };
  });
  return best;
}

/** Embeds in batches, reporting progress after each (embedding a few thousand texts takes a while on a CPU). */
export async function embedTexts(
  embedder: Embedder,
  texts: readonly string[],
  onProgress?: (done: number, total: number) => void,
  batchSize = 64,
): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += batchSize) {
    out.push(...(await embedder.embedDocuments(texts.slice(i, i + batchSize))));
    onProgress?.(out.length, texts.length);
  }
  return out;
}

export type NoveltyVerdict =
  | { kind: "duplicate"; similarity: number; nearestIndex: number }
  | { kind: "novel"; similarity: number; nearestIndex?: number }
  | { kind: "known"; similarity: number; nearestIndex: number };

/** Where a query stands against the existing dataset items. */
export function judgeNovelty(
  vector: Float32Array,
  datasetVectors: readonly Float32Array[],
  thresholds: { novelBelow: number; duplicateAt: number } = { novelBelow: NOVEL_BELOW, duplicateAt: DUPLICATE_AT },
): NoveltyVerdict {
  const near = nearest(vector, datasetVectors);
  if (!near) return { kind: "novel", similarity: 0 };
  if (near.similarity >= thresholds.duplicateAt) return { kind: "duplicate", similarity: near.similarity, nearestIndex: near.index };
  if (near.similarity < thresholds.novelBelow) return { kind: "novel", similarity: near.similarity, nearestIndex: near.index };
  return { kind: "known", similarity: near.similarity, nearestIndex: near.index };
}

/**
 * Keeps the first of each group of near-duplicates, in the order given (best first), also
 * dropping items that duplicate something already in `seen` (e.g. the pending review queue).
 */
export function dropNearDuplicates<T>(
  items: readonly T[],
  vectorOf: (item: T) => Float32Array,
  seen: readonly Float32Array[] = [],
  duplicateAt = DUPLICATE_AT,
): { kept: T[]; dropped: { item: T; similarity: number }[] } {
  const pool = [...seen];
  const kept: T[] = [];
  const dropped: { item: T; similarity: number }[] = [];
  for (const item of items) {
    const vector = vectorOf(item);
    const near = nearest(vector, pool);
    if (near && near.similarity >= duplicateAt) {
      dropped.push({ item, similarity: near.similarity });
      continue;
    }
    kept.push(item);
    pool.push(vector);
  }
  return { kept, dropped };
}
