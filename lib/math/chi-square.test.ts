import { describe, expect, it } from "vitest";
import { chiSquareIndependence, chiSquareSurvival } from "./chi-square";

// Survival values: the chi-square tables (and exp(−x/2), exact for 2 degrees of freedom).

describe("chiSquareSurvival", () => {
  it("matches the chi-square tables", () => {
    expect(chiSquareSurvival(3.841458820694124, 1)).toBeCloseTo(0.05, 8);
    expect(chiSquareSurvival(7.814727903251178, 3)).toBeCloseTo(0.05, 8);
    expect(chiSquareSurvival(10, 3)).toBeCloseTo(0.018566135463043, 8);
    expect(chiSquareSurvival(2, 2)).toBeCloseTo(Math.exp(-1), 10);
    expect(chiSquareSurvival(0.5, 4)).toBeCloseTo(0.9735009788392561, 8);
    expect(chiSquareSurvival(0, 2)).toBe(1);
  });
});

describe("chiSquareIndependence", () => {
  it("gives Pearson's statistic without continuity correction", () => {
    // Expected counts 60·30/110 … by hand; with 2 degrees of freedom the p-value is exp(−χ²/2).
    const result = chiSquareIndependence([
      [10, 20, 30],
      [20, 20, 10],
    ]);
    expect(result.degreesOfFreedom).toBe(2);
    expect(result.statistic).toBeCloseTo(12.527777777777779, 9);
    expect(result.pValue).toBeCloseTo(Math.exp(-12.527777777777779 / 2), 9);
  });

  it("leaves out categories nobody used and says nothing about a single category", () => {
    expect(
      chiSquareIndependence([
        [5, 0, 5],
        [5, 0, 5],
      ]),
    ).toMatchObject({ degreesOfFreedom: 1, pValue: 1 });
    expect(chiSquareIndependence([[7], [9]])).toMatchObject({ degreesOfFreedom: 0, pValue: 1 });
  });
});
