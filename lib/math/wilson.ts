/**
 * The Wilson score interval for a proportion. Unlike the normal approximation p ± z·sqrt(p(1-p)/n)
 * it stays inside [0, 1] and is not zero-width at 0 or n successes, which matters here: small
 * models score 0/164 on HumanEval and near 0 on GSM8K.
 */
export function wilsonInterval(successes: number, n: number, z = 1.959964): { low: number; high: number } {
  if (n <= 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return { low: Math.max(0, center - half), high: Math.min(1, center + half) };
}
