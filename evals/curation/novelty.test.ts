import { describe, expect, it } from "vitest";
import { dropNearDuplicates, judgeNovelty, nearest } from "./novelty";

/** A unit vector at `similarity` to e1 (in the e1/e2 plane). */
function at(similarity: number): Float32Array {
  return Float32Array.from([similarity, Math.sqrt(1 - similarity * similarity), 0]);
}
const e1 = Float32Array.from([1, 0, 0]);
const e3 = Float32Array.from([0, 0, 1]);

describe("novelty", () => {
  it("finds the nearest item", () => {
    expect(nearest(at(0.8), [e3, e1])).toEqual({ index: 1, similarity: expect.closeTo(0.8, 6) });
    expect(nearest(e1, [])).toBeUndefined();
  });

  it("says duplicate at 0.9 and above, novel below 0.5, known in between", () => {
    expect(judgeNovelty(at(0.95), [e1, e3])).toMatchObject({ kind: "duplicate", nearestIndex: 0 });
    expect(judgeNovelty(at(0.9001), [e1])).toMatchObject({ kind: "duplicate" });
    expect(judgeNovelty(at(0.8999), [e1])).toMatchObject({ kind: "known" });
    expect(judgeNovelty(at(0.5), [e1])).toMatchObject({ kind: "known" });
    expect(judgeNovelty(at(0.4999), [e1])).toMatchObject({ kind: "novel", nearestIndex: 0 });
    expect(judgeNovelty(e1, [])).toEqual({ kind: "novel", similarity: 0 });
  });

  it("keeps the first of near-duplicates, in the order given, and drops those of the seen pool", () => {
    const items = [
      { id: "a", v: e1 },
      { id: "a-reworded", v: at(0.95) },
      { id: "other", v: e3 },
      { id: "like-pending", v: at(0.5) },
    ];
    const pending = [Float32Array.from([0.5, Math.sqrt(0.75), 0])];
    const { kept, dropped } = dropNearDuplicates(items, (i) => i.v, pending);
    expect(kept.map((i) => i.id)).toEqual(["a", "other"]);
    expect(dropped.map((d) => d.item.id)).toEqual(["a-reworded", "like-pending"]);
  });
});
