import { describe, expect, it } from "vitest";
import { percentile } from "./percentile";
import {
  bootstrapShift,
  mannWhitneyU,
  normalCdf,
  normalQuantile,
  poissonRateTest,
  twoProportionZTest,
  wilsonSeparated,
} from "./significance";

// Expected values from SciPy 1.17 / statsmodels 0.15 (the calls are named beside each).

describe("normal distribution", () => {
  it("matches the tables", () => {
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 6); // scipy.stats.norm.cdf(1.96)
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 5); // norm.ppf(0.975)
    expect(normalQuantile(0.99)).toBeCloseTo(2.3263478740408408, 5);
  });
});

describe("twoProportionZTest", () => {
  it("gives statsmodels' proportions_ztest, one-sided", () => {
    // proportions_ztest([30, 15], [200, 200], alternative="larger")
    const up = twoProportionZTest(30, 200, 15, 200, "increase");
    expect(up.statistic).toBeCloseTo(2.3735633163877066, 9);
    expect(up.pValue).toBeCloseTo(0.008808686117259405, 6);
    // proportions_ztest([12, 20], [150, 160], alternative="smaller")
    const down = twoProportionZTest(12, 150, 20, 160, "decrease");
    expect(down.statistic).toBeCloseTo(-1.3013724078390827, 9);
    expect(down.pValue).toBeCloseTo(0.09656550673817393, 6);
  });

  it("says nothing without data or without variation", () => {
    expect(twoProportionZTest(0, 0, 3, 10, "increase").pValue).toBe(1);
    expect(twoProportionZTest(0, 50, 0, 50, "increase").pValue).toBe(1);
  });
});

describe("wilsonSeparated", () => {
  it("uses one-sided (1 − alpha) Wilson intervals, as statsmodels' proportion_confint(alpha=2·alpha)", () => {
    const result = wilsonSeparated(30, 200, 15, 200, 0.01, "increase");
    expect(result.current.low).toBeCloseTo(0.10053383883722633, 5);
    expect(result.baseline.high).toBeCloseTo(0.13039197676145356, 5);
    // More conservative than the z-test (p = 0.0088 above): the intervals still overlap.
    expect(result.significant).toBe(false);
    expect(wilsonSeparated(60, 200, 15, 200, 0.01, "increase").significant).toBe(true);
    expect(wilsonSeparated(60, 200, 15, 200, 0.01, "decrease").significant).toBe(false);
  });
});

describe("mannWhitneyU", () => {
  const x = [3, 4, 2, 6, 2, 5, 9, 8];
  const y = [1, 2, 1, 3, 1, 2];
  it("matches scipy.stats.mannwhitneyu(method='asymptotic') with ties", () => {
    // mannwhitneyu(x, y, alternative="greater", method="asymptotic") -> U 43.5, p 0.006309408200867321
    const up = mannWhitneyU(x, y, "increase");
    expect(up.statistic).toBe(43.5);
    expect(up.pValue).toBeCloseTo(0.006309408200867321, 6);
    // mannwhitneyu(y, x, alternative="less") -> U 4.5, same p
    const down = mannWhitneyU(y, x, "decrease");
    expect(down.statistic).toBe(4.5);
    expect(down.pValue).toBeCloseTo(0.006309408200867321, 6);
  });

  it("finds nothing between identical samples", () => {
    expect(mannWhitneyU([1, 2, 3], [1, 2, 3], "increase").pValue).toBeGreaterThan(0.5);
    expect(mannWhitneyU([], [1], "increase").pValue).toBe(1);
  });
});

describe("poissonRateTest", () => {
  it("is scipy's binomtest on the conditional count", () => {
    // 20 events in 1 window against 30 in 4: binomtest(20, 50, 0.2, alternative="greater")
    expect(poissonRateTest(20, 1, 30, 4, "increase").pValue).toBeCloseTo(0.0009324364894211258, 9);
    expect(poissonRateTest(20, 1, 30, 4, "increase").statistic).toBeCloseTo(20 / 7.5, 9);
    // binomtest(3, 40, 0.2, alternative="less")
    expect(poissonRateTest(3, 1, 37, 4, "decrease").pValue).toBeCloseTo(0.028462094459744576, 9);
    expect(poissonRateTest(0, 1, 0, 4, "increase").pValue).toBe(1);
  });
});

describe("bootstrapShift", () => {
  const p95 = (values: readonly number[]) => percentile(values, 95);
  const base = Array.from({ length: 60 }, (_, i) => 100 + (i % 20));
  it("finds a doubled p95 and not an unchanged one, the same on every run", () => {
    const slow = base.map((v) => v * 2);
    const shifted = bootstrapShift(slow, base, p95, "increase", { rounds: 500 });
    expect(shifted.pValue).toBeCloseTo(1 / 501, 9);
    expect(shifted.statistic).toBeCloseTo(p95(slow) - p95(base), 9);
    const same = bootstrapShift(base, base, p95, "increase", { rounds: 500 });
    expect(same.pValue).toBeGreaterThan(0.3);
    expect(bootstrapShift(base, base, p95, "increase", { rounds: 500 })).toEqual(same);
  });
});
