import { seededRandom } from "./seeded-random";
import { wilsonInterval } from "./wilson";

/**
 * Confidence intervals for "after − before", the delta a comparison reports beside its test:
 * Newcombe's hybrid score interval for a difference of proportions (built from the two Wilson
 * intervals, so it stays sane at 0 % and on small samples), and a seeded percentile bootstrap
 * for any statistic of a distribution (quantiles have no simple standard error).
 */

export interface Interval {
  low: number;
  high: number;
}

/** Newcombe (1998) method 10 for x1/n1 − x0/n0, at the two-sided level of `z` (1.96: 95 %). */
export function proportionDifferenceInterval(x1: number, n1: number, x0: number, n0: number, z = 1.959964): Interval {
  if (n1 <= 0 || n0 <= 0) return { low: Number.NaN, high: Number.NaN };
  const p1 = x1 / n1;
  const p0 = x0 / n0;
  const w1 = wilsonInterval(x1, n1, z);
  const w0 = wilsonInterval(x0, n0, z);
  const d = p1 - p0;
  return {
    low: d - Math.sqrt((p1 - w1.low) ** 2 + (w0.high - p0) ** 2),
    high: d + Math.sqrt((w1.high - p1) ** 2 + (p0 - w0.low) ** 2),
  };
}

/**
 * Percentile bootstrap of statistic(after) − statistic(before), resampling each side on its own:
 * the interval, and from the same resampled differences the one-sided p-values of each direction
 * (the share on the wrong side of zero, as significance.ts's bootstrapShift counts it), so a
 * two-sided test costs no second bootstrap. Seeded: the same samples give the same answer.
 */
export function bootstrapDifference(
  after: readonly number[],
  before: readonly number[],
  statistic: (values: readonly number[]) => number,
  options: { confidence?: number; rounds?: number; seed?: number } = {},
): { interval: Interval; pIncrease: number; pDecrease: number } {
  if (after.length === 0 || before.length === 0) return { interval: { low: Number.NaN, high: Number.NaN }, pIncrease: 1, pDecrease: 1 };
  const rounds = options.rounds ?? 2_000;
  const tail = (1 - (options.confidence ?? 0.95)) / 2;
  const random = seededRandom(options.seed ?? 7);
  const resample = (values: readonly number[]) => values.map(() => values[Math.floor(random() * values.length)]!);
  const diffs = Array.from({ length: rounds }, () => statistic(resample(after)) - statistic(resample(before))).sort((a, b) => a - b);
  const at = (q: number) => diffs[Math.min(rounds - 1, Math.max(0, Math.floor(q * rounds)))]!;
  const notAbove = diffs.filter((d) => d <= 0).length;
  const notBelow = diffs.filter((d) => d >= 0).length;
  return {
    interval: { low: at(tail), high: at(1 - tail) },
    pIncrease: (notAbove + 1) / (rounds + 1),
    pDecrease: (notBelow + 1) / (rounds + 1),
  };
}
