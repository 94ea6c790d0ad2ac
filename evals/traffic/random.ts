import { seededRandom } from "../seeded-shuffle";

/**
 * A random stream that depends only on the run's seed and a key (for example
 * `feedback:<persona>/<session>/<turn>`), not on the order sessions happen to run in: with
 * `--concurrency 4` the same seed makes the same decisions as with 1.
 */
export function keyedRandom(seed: number, key: string): () => number {
  // FNV-1a over the key, mixed with the seed.
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return seededRandom(hash >>> 0);
}
