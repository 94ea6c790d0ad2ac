/**
 * Seeded randomness for the eval tools: the same seed picks the same rows and chunks on every
 * machine, so judge figures and synthetic datasets can be reproduced.
 */
import { seededRandom } from "@/lib/math/seeded-random";

// The PRNG lives in lib (monitoring's bootstrap uses it too); re-exported for the eval tools.
export { seededRandom };

/** A seeded Fisher-Yates shuffle (the input is not modified). */
export function shuffle<T>(items: readonly T[], seed: number): T[] {
  const random = seededRandom(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
