import { describe, expect, it } from "vitest";
import { bootstrapDifference, proportionDifferenceInterval } from "./difference-intervals";
import { percentile } from "./percentile";

describe("proportionDifferenceInterval", () => {
  it("gives Newcombe's published example (56/70 − 48/80: 0.0524 to 0.3339)", () => {
    const interval = proportionDifferenceInterval(56, 70, 48, 80);
    expect(interval.low).toBeCloseTo(0.0524, 4);
    expect(interval.high).toBeCloseTo(0.3339, 4);
  });

  it("is undefined without data", () => {
    expect(proportionDifferenceInterval(0, 0, 1, 2).low).toBeNaN();
  });
});

describe("bootstrapDifference", () => {
  const before = Array.from({ length: 200 }, (_, i) => 100 + (i % 50));
  const doubled = before.map((v) => v * 2);
  const p95 = (values: readonly number[]) => percentile(values, 95);

  it("covers the true shift of a quantile and not zero when the distribution doubled", () => {
    const { interval, pIncrease, pDecrease } = bootstrapDifference(doubled, before, p95);
    expect(pIncrease).toBeLessThan(0.001);
    expect(pDecrease).toBeGreaterThan(0.99);
    const truth = p95(doubled) - p95(before);
    expect(interval.low).toBeLessThanOrEqual(truth);
    expect(interval.high).toBeGreaterThanOrEqual(truth);
    expect(interval.low).toBeGreaterThan(0);
  });

  it("contains zero for the same distribution, and is reproducible", () => {
    const result = bootstrapDifference([...before].reverse(), before, p95);
    expect(result.interval.low).toBeLessThanOrEqual(0);
    expect(result.interval.high).toBeGreaterThanOrEqual(0);
    expect(Math.min(result.pIncrease, result.pDecrease)).toBeGreaterThan(0.05);
    expect(bootstrapDifference([...before].reverse(), before, p95)).toEqual(result);
  });
});
