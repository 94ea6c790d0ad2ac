/**
 * Dot product of two equal-length vectors; for unit-normalised embeddings it is their cosine
 * similarity. Vectors of different lengths come from different models: that is a bug, not a score.
 */
export function dot(a: Float32Array | readonly number[], b: Float32Array | readonly number[]): number {
  if (a.length !== b.length) throw new RangeError(`vector dimensions differ: ${a.length} vs ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}
