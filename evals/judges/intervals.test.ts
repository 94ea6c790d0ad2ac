import { describe, expect, it } from "vitest";
import { judgeFigures } from "./intervals";

describe("judgeFigures", () => {
  it("gives the figures with intervals that contain them", () => {
    const predictions = [
      ...Array.from({ length: 40 }, () => ({ label: true, predicted: true })),
      ...Array.from({ length: 10 }, () => ({ label: true, predicted: false })),
      ...Array.from({ length: 45 }, () => ({ label: false, predicted: false })),
      ...Array.from({ length: 5 }, () => ({ label: false, predicted: true })),
    ];
    const f = judgeFigures(predictions);
    expect(f).toMatchObject({ n: 100, precision: 0.8889, recall: 0.8, accuracy: 0.85, balancedAccuracy: 0.85 });
    for (const key of ["precision", "recall", "accuracy", "f1", "balancedAccuracy"] as const) {
      const [low, high] = f.intervals[key];
      expect(low).toBeLessThanOrEqual(f[key]);
      expect(high).toBeGreaterThanOrEqual(f[key]);
      expect(high - low).toBeGreaterThan(0);
    }
  });

  it("scores a judge that always says yes at 0.5 balanced accuracy", () => {
    const always = [true, true, false, false].map((label) => ({ label, predicted: true }));
    expect(judgeFigures(always).balancedAccuracy).toBe(0.5);
  });
});
