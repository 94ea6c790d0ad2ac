import { describe, expect, it } from "vitest";
import { dot } from "./vector";

describe("dot", () => {
  it("multiplies and sums", () => expect(dot(new Float32Array([1, 2, 3]), [4, 5, 6])).toBe(32));
  it("is the cosine of unit vectors", () => expect(dot([1, 0], [Math.SQRT1_2, Math.SQRT1_2])).toBeCloseTo(Math.SQRT1_2));
});

describe("dot on vectors of different models", () => {
  it("refuses different dimensions", () => expect(() => dot([1, 2], [1, 2, 3])).toThrow(/dimensions differ: 2 vs 3/));
});
