import { describe, expect, it } from "vitest";
import { cohensKappa } from "./kappa";

describe("cohensKappa", () => {
  it("is 1 for perfect agreement and 0 at chance", () => {
    expect(
      cohensKappa([
        [true, true],
        [false, false],
        [true, true],
        [false, false],
      ]),
    ).toBe(1);
    expect(
      cohensKappa([
        [true, true],
        [true, false],
        [false, true],
        [false, false],
      ]),
    ).toBe(0);
  });

  it("matches a worked example (agreement 0.7, chance 0.5 → 0.4)", () => {
    const pairs: [boolean, boolean][] = [
      ...Array<[boolean, boolean]>(20).fill([true, true]),
      ...Array<[boolean, boolean]>(5).fill([true, false]),
      ...Array<[boolean, boolean]>(10).fill([false, true]),
      ...Array<[boolean, boolean]>(15).fill([false, false]),
    ];
    expect(cohensKappa(pairs)).toBeCloseTo(0.4, 10);
  });

  it("is undefined without items or when both always agree by construction", () => {
    expect(cohensKappa([])).toBeNaN();
    expect(
      cohensKappa([
        [true, true],
        [true, true],
      ]),
    ).toBeNaN();
  });
});
