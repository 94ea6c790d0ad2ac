import { bisect, errorFunction, gammaln } from "simple-statistics";
import { seededRandom } from "./seeded-random";
import { wilsonInterval } from "./wilson";

/**
 * One-sided significance tests for "did the current window get worse than its baseline?",
 * one per kind of metric: proportions (two-proportion z-test, Wilson intervals), distributions
 * (Mann–Whitney U, a bootstrap of the statistic itself) and counts (the exact conditional test for
 * two Poisson rates). Each compares `current` against `baseline` in one direction: `increase`
 * asks whether current is larger. Reference values in significance.test.ts come from SciPy.
 */

export type Direction = "increase" | "decrease";

export interface TestResult {
  /** One-sided p-value in the asked direction; 1 when the data cannot say anything. */
  pValue: number;
  statistic: number;
}

/** Standard normal CDF, Φ(z) (simple-statistics' erf: about 1e-7 absolute error). */
export function normalCdf(z: number): number {
  return 0.5 * (1 + errorFunction(z / Math.SQRT2));
}

/** Φ⁻¹(p) by bisection on `normalCdf`: simple-statistics' probit is only good to about 3 decimals. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile needs 0 < p < 1, got ${p}`);
  return bisect((z: number) => normalCdf(z) - p, -12, 12, 200, 1e-12);
}

const oneSided = (z: number, direction: Direction) => (direction === "increase" ? 1 - normalCdf(z) : normalCdf(z));

/** Pooled two-proportion z-test of x1/n1 (current) against x0/n0 (baseline). */
export function twoProportionZTest(x1: number, n1: number, x0: number, n0: number, direction: Direction): TestResult {
  if (n1 <= 0 || n0 <= 0) return { pValue: 1, statistic: 0 };
  const pooled = (x1 + x0) / (n1 + n0);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0));
  // Every observation the same (all 0 or all 1): no difference to test.
  if (se === 0) return { pValue: 1, statistic: 0 };
  const z = (x1 / n1 - x0 / n0) / se;
  return { pValue: oneSided(z, direction), statistic: z };
}

/**
 * Whether the one-sided (1 − alpha) Wilson intervals of the two proportions are apart in the
 * asked direction: a conservative test that also behaves at 0 % and 100 % and on tiny samples.
 * The statistic is the gap between the intervals (positive when apart).
 */
export function wilsonSeparated(x1: number, n1: number, x0: number, n0: number, alpha: number, direction: Direction) {
  const z = normalQuantile(1 - alpha);
  const current = wilsonInterval(x1, n1, z);
  const baseline = wilsonInterval(x0, n0, z);
  const gap = direction === "increase" ? current.low - baseline.high : baseline.low - current.high;
  return { significant: n1 > 0 && n0 > 0 && gap > 0, gap, current, baseline };
}

/** Ranks (1-based) with ties given their average rank, and Σ(t³ − t) over the tie groups. */
function averageRanks(values: readonly number[]): { ranks: number[]; tieTerm: number } {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(values.length);
  let tieTerm = 0;
  for (let start = 0; start < order.length;) {
    let end = start + 1;
    while (end < order.length && order[end]!.value === order[start]!.value) end++;
    const rank = (start + 1 + end) / 2;
    for (let i = start; i < end; i++) ranks[order[i]!.index] = rank;
    const t = end - start;
    tieTerm += t * t * t - t;
    start = end;
  }
  return { ranks, tieTerm };
}

/**
 * Mann–Whitney U of `current` against `baseline`, normal approximation with tie and continuity
 * corrections (SciPy's `mannwhitneyu(..., method="asymptotic")`). `statistic` is U of current.
 * simple-statistics' wilcoxonRankSum is not used: it mis-ranks a second group of ties.
 */
export function mannWhitneyU(current: readonly number[], baseline: readonly number[], direction: Direction): TestResult {
  const n1 = current.length;
  const n0 = baseline.length;
  if (n1 === 0 || n0 === 0) return { pValue: 1, statistic: 0 };
  const { ranks, tieTerm } = averageRanks([...current, ...baseline]);
  const rankSum = ranks.slice(0, n1).reduce((sum, r) => sum + r, 0);
  const u = rankSum - (n1 * (n1 + 1)) / 2;
  const n = n1 + n0;
  const variance = ((n1 * n0) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return { pValue: 1, statistic: u };
  const shift = u - (n1 * n0) / 2;
  const z = (direction === "increase" ? shift - 0.5 : shift + 0.5) / Math.sqrt(variance);
  return { pValue: oneSided(z, direction), statistic: u };
}

function binomialPmf(k: number, n: number, p: number): number {
  if (p <= 0) return k === 0 ? 1 : 0;
  if (p >= 1) return k === n ? 1 : 0;
  return Math.exp(gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1) + k * Math.log(p) + (n - k) * Math.log(1 - p));
}

/**
 * Exact conditional test of two Poisson rates: `c1` events over exposure `t1` (the current window)
 * against `c0` over `t0` (the baseline windows). Given c1 + c0 events, c1 is binomial with
 * p = t1 / (t0 + t1) when the rates are equal (SciPy's `binomtest`, statsmodels' `exact-cond`).
 */
export function poissonRateTest(c1: number, t1: number, c0: number, t0: number, direction: Direction): TestResult {
  const n = c1 + c0;
  const rateRatio = c0 === 0 ? (c1 === 0 ? 1 : Number.POSITIVE_INFINITY) : c1 / t1 / (c0 / t0);
  if (n === 0) return { pValue: 1, statistic: rateRatio };
  const p = t1 / (t0 + t1);
  let tail = 0;
  const [from, to] = direction === "increase" ? [c1, n] : [0, c1];
  for (let k = from; k <= to; k++) tail += binomialPmf(k, n, p);
  return { pValue: Math.min(1, tail), statistic: rateRatio };
}

/**
 * Bootstrap of `statistic(current) − statistic(baseline)` (e.g. the p95): the one-sided p-value is
 * the share of resampled differences on the wrong side of zero. Seeded, so a backtest gives the
 * same answer on every run. `statistic` is the difference of the original samples.
 */
export function bootstrapShift(
  current: readonly number[],
  baseline: readonly number[],
  statistic: (values: readonly number[]) => number,
  direction: Direction,
  options: { rounds?: number; seed?: number } = {},
): TestResult {
  if (current.length === 0 || baseline.length === 0) return { pValue: 1, statistic: 0 };
  const rounds = options.rounds ?? 2_000;
  const random = seededRandom(options.seed ?? 42);
  const resample = (values: readonly number[]) => values.map(() => values[Math.floor(random() * values.length)]!);
  let against = 0;
  for (let r = 0; r < rounds; r++) {
    const diff = statistic(resample(current)) - statistic(resample(baseline));
    if (direction === "increase" ? diff <= 0 : diff >= 0) against++;
  }
  return { pValue: (against + 1) / (rounds + 1), statistic: statistic(current) - statistic(baseline) };
}
