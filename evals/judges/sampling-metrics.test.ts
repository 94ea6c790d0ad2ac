import { describe, expect, it } from "vitest";
import { binaryMetrics } from "./metrics";
import { seededRandom, shuffle } from "../seeded-shuffle";
import { balancedSample } from "./sampling";

describe("seeded sampling", () => {
  it("is deterministic per seed", () => {
    expect(shuffle([1, 2, 3, 4, 5, 6], 7)).toEqual(shuffle([1, 2, 3, 4, 5, 6], 7));
    expect(shuffle([1, 2, 3, 4, 5, 6], 7)).not.toEqual(shuffle([1, 2, 3, 4, 5, 6], 8));
    const r = seededRandom(1);
    const values = [r(), r(), r()];
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it("balances classes, and fills from the larger class when the smaller runs out", () => {
    const items = Array.from({ length: 100 }, (_, i) => ({ id: i, label: i < 10 }));
    const even = balancedSample(items, 10, 1);
    expect(even.filter((x) => x.label)).toHaveLength(5);
    const uneven = balancedSample(items, 40, 1);
    expect(uneven).toHaveLength(40);
    expect(uneven.filter((x) => x.label)).toHaveLength(10);
    expect(new Set(uneven.map((x) => x.id)).size).toBe(40);
  });
});

describe("binaryMetrics", () => {
  it("computes precision, recall, F1 and accuracy, leaving errors out", () => {
    const m = binaryMetrics([
      { label: true, predicted: true },
      { label: true, predicted: false },
      { label: false, predicted: true },
      { label: false, predicted: false },
      { label: false, predicted: false },
      { label: true, predicted: undefined },
    ]);
    expect(m).toMatchObject({ n: 5, errors: 1, tp: 1, fn: 1, fp: 1, tn: 2 });
    expect(m.precision).toBe(0.5);
    expect(m.recall).toBe(0.5);
    expect(m.f1).toBe(0.5);
    expect(m.accuracy).toBe(0.6);
    expect(m.positiveRate).toBe(0.4);
  });

  it("gives 0, not NaN, when nothing is flagged", () => {
    expect(binaryMetrics([{ label: true, predicted: false }])).toMatchObject({ precision: 0, recall: 0, f1: 0 });
  });
});
