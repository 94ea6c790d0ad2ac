/** Dot product of two equal-length vectors; for unit-normalised embeddings it is their cosine similarity. */
export function dot(a: Float32Array | readonly number[], b: Float32Array | readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}
