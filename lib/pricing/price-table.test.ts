import path from "node:path";
import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { loadPriceTable, parsePriceTable } from "./price-table";

const table = parsePriceTable({
  version: "test-1",
  currency: "USD",
  unit: "per 1M tokens",
  models: {
    "gpt-4o": { prompt: 2.5, completion: 10 },
    "gpt-4o-mini": { prompt: 0.15, completion: 0.6 },
    local: { prompt: 0, completion: 0 },
  },
});

describe("PriceTable", () => {
  it("prices a call per million tokens", () => {
    const cost = table.costOf("gpt-4o-mini", { promptTokens: 2_000, completionTokens: 500 });
    expect(cost?.prompt).toBeCloseTo(0.0003, 10);
    expect(cost?.completion).toBeCloseTo(0.0003, 10);
    expect(cost?.total).toBeCloseTo(0.0006, 10);
  });

  it("prices a dated snapshot as its family, preferring the longest match", () => {
    expect(table.priceFor("gpt-4o-mini-2024-07-18")).toEqual({ prompt: 0.15, completion: 0.6 });
    expect(table.priceFor("GPT-4o-2024-08-06")).toEqual({ prompt: 2.5, completion: 10 });
  });

  it("costs a local model zero but knows it", () => {
    expect(table.costOf("local", { promptTokens: 10_000, completionTokens: 10_000 })).toEqual({ prompt: 0, completion: 0, total: 0 });
  });

  it("leaves an unknown model unpriced instead of free", () => {
    expect(table.costOf("mystery-model", { promptTokens: 1, completionTokens: 1 })).toBeUndefined();
    expect(table.priceFor("gpt-4")).toBeUndefined();
  });

  it("rejects a malformed table with the field at fault", () => {
    expect(() => parsePriceTable({ version: "x", currency: "EUR", unit: "per 1M tokens", models: {} })).toThrow(/currency/);
    expect(() =>
      parsePriceTable({ version: "x", currency: "USD", unit: "per 1M tokens", models: { a: { prompt: -1, completion: 0 } } }),
    ).toThrow(AppError);
  });

  it("loads the committed table, which prices every local model", () => {
    const committed = loadPriceTable(path.resolve("data/prices.json"));
    for (const model of ["smollm2-135m", "gemma-3-270m", "gpt-4o-mini"]) expect(committed.priceFor(model)).toBeDefined();
  });
});
