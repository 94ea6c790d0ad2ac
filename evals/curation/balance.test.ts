import { describe, expect, it } from "vitest";
import { balanceByRoute } from "./balance";

const item = (id: string, route: string | null, priority: number, tracedAtMs = 0) => ({ id, route, priority, tracedAtMs });

describe("balanceByRoute", () => {
  const items = [
    item("kb-1", "knowledge_base_search", 0.5),
    item("kb-2", "knowledge_base_search", 0.4),
    item("kb-3", "knowledge_base_search", 0.3),
    item("kb-4", "knowledge_base_search", 0.2),
    item("calc-1", "calculator", 1),
    item("sales-1", "sales_query", 0.6),
    item("none-1", null, 0.1),
  ];

  it("takes one per route per round, the strongest route first, best items first", () => {
    expect(balanceByRoute(items, { max: 10, perRoute: 10 }).map((i) => i.id)).toEqual([
      "calc-1",
      "sales-1",
      "kb-1",
      "none-1",
      "kb-2",
      "kb-3",
      "kb-4",
    ]);
  });

  it("stops at max, and at perRoute for a route", () => {
    expect(balanceByRoute(items, { max: 3, perRoute: 10 }).map((i) => i.id)).toEqual(["calc-1", "sales-1", "kb-1"]);
    expect(balanceByRoute(items, { max: 10, perRoute: 2 }).map((i) => i.id)).toEqual(["calc-1", "sales-1", "kb-1", "none-1", "kb-2"]);
  });

  it("breaks priority ties by recency", () => {
    const tied = [item("old", "calculator", 0.5, 1), item("new", "calculator", 0.5, 2)];
    expect(balanceByRoute(tied, { max: 1, perRoute: 1 }).map((i) => i.id)).toEqual(["new"]);
  });
});
