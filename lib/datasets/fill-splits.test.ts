import { describe, expect, it } from "vitest";
import { fillSplits } from "./fill-splits";

const line = (id: string, route: string, split?: string) =>
  JSON.stringify({ id, input: { message: id }, expected: { route }, ...(split ? { split } : {}) });

describe("fillSplits", () => {
  it("splits a file without splits, balanced per route", () => {
    const text = Array.from({ length: 10 }, (_, i) => line(`x-${i}`, i < 6 ? "a" : "b")).join("\n") + "\n";
    const { text: out, assigned } = fillSplits(text);
    expect(assigned).toBe(10);
    const items = out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { expected: { route: string }; split: string });
    for (const route of ["a", "b"]) {
      const splits = items.filter((i) => i.expected.route === route).map((i) => i.split);
      expect(splits.filter((s) => s === "dev").length).toBe(splits.length / 2);
    }
  });

  it("keeps existing splits and lines byte for byte, and puts a new item on the smaller side", () => {
    const kept = [
      '{"id":"a-1", "expected":{"route":"a"},"split":"dev"}',
      '{"id":"a-2","expected":{"route":"a"},"split":"dev"}',
      "not json",
    ];
    const { text, assigned } = fillSplits([...kept, line("a-3", "a")].join("\n"));
    expect(assigned).toBe(1);
    const lines = text.split("\n");
    expect(lines.slice(0, 3)).toEqual(kept);
    expect(JSON.parse(lines[3]!)).toMatchObject({ id: "a-3", split: "test" });
  });
});
