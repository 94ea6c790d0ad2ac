import { shuffle } from "../seeded-shuffle";

/**
 * Deterministic sampling: the same seed always picks the same rows, so figures from
 * `npm run eval:judges` can be reproduced and compared between judges.
 */

/**
 * Up to `limit` items, half positive and half negative where both classes have enough (the
 * smaller class fills what it can, the other the rest), shuffled so the classes interleave.
 */
export function balancedSample<T extends { label: boolean }>(items: readonly T[], limit: number, seed: number): T[] {
  const positives = shuffle(
    items.filter((x) => x.label),
    seed,
  );
  const negatives = shuffle(
    items.filter((x) => !x.label),
    seed + 1,
  );
  const half = Math.floor(limit / 2);
  const takePositive = Math.min(positives.length, Math.max(half, limit - negatives.length));
  const takeNegative = Math.min(negatives.length, limit - takePositive);
  return shuffle([...positives.slice(0, takePositive), ...negatives.slice(0, takeNegative)], seed + 2);
}
