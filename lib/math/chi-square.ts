import { gammaln } from "simple-statistics";

/**
 * Pearson's chi-square test of independence on a contingency table (rows: the two samples
 * compared, columns: categories such as routes). simple-statistics has the goodness-of-fit
 * statistic but only a table of critical values, so the p-value comes from the regularized
 * incomplete gamma function here (Numerical Recipes' series and continued fraction).
 */

export interface ChiSquareResult {
  statistic: number;
  degreesOfFreedom: number;
  /** P(χ² ≥ statistic); 1 when the table has nothing to test (one category, an empty row). */
  pValue: number;
}

const EPSILON = 1e-14;
const MAX_ITERATIONS = 1_000;

/** Lower regularized gamma P(a, x) by its series (converges fast for x < a + 1). */
function lowerSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_ITERATIONS && Math.abs(term) > Math.abs(sum) * EPSILON; n++) {
    term *= x / (a + n);
    sum += term;
  }
  return sum * Math.exp(-x + a * Math.log(x) - gammaln(a));
}

/** Upper regularized gamma Q(a, x) by Lentz's continued fraction (for x ≥ a + 1). */
function upperFraction(a: number, x: number): number {
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return Math.exp(-x + a * Math.log(x) - gammaln(a)) * h;
}

/** P(χ²_df ≥ x): the survival function of the chi-square distribution. */
export function chiSquareSurvival(x: number, degreesOfFreedom: number): number {
  if (!(x > 0)) return 1;
  const a = degreesOfFreedom / 2;
  const half = x / 2;
  return half < a + 1 ? 1 - lowerSeries(a, half) : upperFraction(a, half);
}

/** The test on `table[row][column]` counts; columns empty in every row are left out. */
export function chiSquareIndependence(table: readonly (readonly number[])[]): ChiSquareResult {
  const columns = table[0]?.length ?? 0;
  const columnTotals = Array.from({ length: columns }, (_, j) => table.reduce((sum, row) => sum + (row[j] ?? 0), 0));
  const kept = columnTotals.map((total, j) => (total > 0 ? j : -1)).filter((j) => j >= 0);
  const rowTotals = table.map((row) => kept.reduce((sum, j) => sum + (row[j] ?? 0), 0));
  const total = rowTotals.reduce((sum, v) => sum + v, 0);
  const degreesOfFreedom = (rowTotals.filter((t) => t > 0).length - 1) * (kept.length - 1);
  if (degreesOfFreedom <= 0 || total === 0) return { statistic: 0, degreesOfFreedom: Math.max(0, degreesOfFreedom), pValue: 1 };
  let statistic = 0;
  table.forEach((row, i) => {
    for (const j of kept) {
      const expected = (rowTotals[i]! * columnTotals[j]!) / total;
      if (expected > 0) statistic += ((row[j] ?? 0) - expected) ** 2 / expected;
    }
  });
  return { statistic, degreesOfFreedom, pValue: chiSquareSurvival(statistic, degreesOfFreedom) };
}
