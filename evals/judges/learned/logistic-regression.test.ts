import { describe, expect, it } from "vitest";
import { probability, trainLogisticRegression } from "./logistic-regression";

describe("trainLogisticRegression", () => {
  const rows = [
    [0, 5],
    [1, 5],
    [2, 5],
    [8, 5],
    [9, 5],
    [10, 5],
  ];
  const labels = [false, false, false, true, true, true];

  it("separates separable data, and the constant feature does not matter", () => {
    const model = trainLogisticRegression(rows, labels);
    expect(probability(model, [9, 5])).toBeGreaterThan(0.9);
    expect(probability(model, [1, 5])).toBeLessThan(0.1);
    expect(Math.abs(model.weights[1]!)).toBeLessThan(1e-9);
  });

  it("is deterministic", () => {
    expect(trainLogisticRegression(rows, labels)).toEqual(trainLogisticRegression(rows, labels));
  });

  it("refuses rows without labels", () => expect(() => trainLogisticRegression(rows, [true])).toThrow(RangeError));
});
