/**
 * The p-th percentile (0–100) with linear interpolation between closest ranks (R's type 7, numpy's
 * default), so the benchmark scripts and monitoring report the same p95 for the same numbers.
 * NaN for no values.
 */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}
