import { percentile } from "../lib/math/percentile";

/** Summary statistics shared by the benchmark scripts (percentiles: lib/math/percentile.ts). */
export function stats(values: number[]) {
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  return { p50: percentile(values, 50), p95: percentile(values, 95), mean, max: Math.max(...values) };
}
