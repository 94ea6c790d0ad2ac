import { describe, expect, it } from "vitest";
import { scaleItems, recallAtK } from "./dataset";
import { chooseEf, type BenchSearcher } from "./measure";

const unit = (values: number[]) => {
  const norm = Math.hypot(...values);
  return Float32Array.from(values.map((v) => v / norm));
};
const docs = [
  { id: "a", text: "alpha" },
  { id: "b", text: "beta" },
  { id: "c", text: "gamma" },
];
const vectors = [unit([1, 0, 0, 0]), unit([0, 1, 0, 0]), unit([0, 0, 1, 1])];

describe("bench:scale rows", () => {
  it("keeps the real rows first and labels every other one synthetic, unit length, reproducibly", () => {
    const items = scaleItems(docs, vectors, 50);
    expect(items).toHaveLength(50);
    expect(items.slice(0, 3).map((i) => i.chunk.id)).toEqual(["a", "b", "c"]);
    expect(items[0]!.vector).toBe(vectors[0]);
    const synthetic = items.slice(3);
    expect(synthetic.every((i) => i.chunk.topic === "synthetic" && i.chunk.id.startsWith("syn-"))).toBe(true);
    for (const { vector } of synthetic) expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
    expect(scaleItems(docs, vectors, 50)[10]!.vector).toEqual(items[10]!.vector);
    expect(scaleItems(docs, vectors, 50, 7)[10]!.vector).not.toEqual(items[10]!.vector);
  });

  it("stays near the real vectors (a mix of two plus small noise), not uniform on the sphere", () => {
    const items = scaleItems(docs, vectors, 200).slice(3);
    const best = items.map(({ vector }) => Math.max(...vectors.map((r) => r.reduce((s, x, d) => s + x * vector[d]!, 0))));
    expect(Math.min(...best)).toBeGreaterThan(0.5);
  });

  it("takes fewer rows than the corpus when n is small", () => {
    expect(scaleItems(docs, vectors, 2).map((i) => i.chunk.id)).toEqual(["a", "b"]);
  });
});

describe("recall and the ef choice", () => {
  it("recall@k is the share of the true ids found", () => {
    expect(recallAtK(["a", "x", "b"], ["a", "b", "c", "d"])).toBe(0.5);
    expect(recallAtK([], [])).toBe(1);
  });

  it("chooses the smallest ef that reaches the target on dev queries, else the best", async () => {
    let ef = 0;
    // A stand-in whose recall grows with ef: it finds min(k, ef / 10) of the true ids.
    const searcher: BenchSearcher = {
      setEf: (value) => (ef = value),
      search: (_vector, k) => Promise.resolve(["t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9"].slice(0, Math.min(k, ef / 10))),
    };
    const truth = [["t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9"]];
    const dev = [new Float32Array(4)];
    const picked = await chooseEf(searcher, [100, 20, 50], dev, truth, 10, 0.5);
    expect(picked.chosen).toBe(50);
    expect(picked.points.map((p) => [p.ef, p.recall])).toEqual([
      [20, 0.2],
      [50, 0.5],
      [100, 1],
    ]);
    expect((await chooseEf(searcher, [20, 30], dev, truth, 10, 0.9)).chosen).toBe(30);
  });
});
