import { describe, expect, it } from "vitest";
import type { BenchItem } from "./benchmark-data";
import { benchmarkSplit, itemsOfSplit } from "./benchmark-split";

const pair = (q: number): BenchItem[] => [
  { id: `q${q}-right`, group: `q${q}`, label: false, response: "r" },
  { id: `q${q}-made-up`, group: `q${q}`, label: true, response: "h" },
];

describe("benchmarkSplit", () => {
  it("keeps both answers to a question in one split, and halves the questions", () => {
    const items = Array.from({ length: 40 }, (_, q) => pair(q)).flat();
    const splits = benchmarkSplit(items);
    for (let q = 0; q < 40; q++) expect(splits.get(`q${q}-right`)).toBe(splits.get(`q${q}-made-up`));
    expect(itemsOfSplit(items, "dev")).toHaveLength(40);
    expect(itemsOfSplit(items, "test")).toHaveLength(40);
  });

  it("balances each label across the halves", () => {
    const items: BenchItem[] = Array.from({ length: 30 }, (_, i) => ({ id: `x${i}`, group: `x${i}`, label: i < 10, response: "t" }));
    const test = itemsOfSplit(items, "test");
    expect(test.filter((i) => i.label)).toHaveLength(5);
    expect(test.filter((i) => !i.label)).toHaveLength(10);
  });
});
