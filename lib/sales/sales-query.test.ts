import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { getSalesDb, loadSalesDb } from "./sales-db";
import { runSalesQuery } from "./sales-query";
import { parseSalesQueryParams } from "./sales-query-params";
import { compileSalesQuery } from "./sales-sql";
import { readSalesFacts, sumBy } from "@/test-support/sales/sales-facts";

const DATA_DIR = fileURLToPath(new URL("../../data/sales", import.meta.url));

const csvText = fs.readFileSync(path.join(DATA_DIR, "sales.csv"), "utf8");
const facts = readSalesFacts(DATA_DIR);

const salesDb = getSalesDb(DATA_DIR);
const tableRowCount = () => (salesDb.db.prepare("SELECT COUNT(*) AS n FROM sales").get() as { n: number }).n;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof AppError ? error.code : `non-AppError: ${String(error)}`;
  }
}

describe("sales database", () => {
  it("loads every CSV row and is shared per directory", () => {
    expect(salesDb.salesRowCount).toBe(facts.length);
    expect(tableRowCount()).toBe(facts.length);
    expect(getSalesDb(DATA_DIR)).toBe(salesDb);
    expect(getSalesDb(`${DATA_DIR}/`)).toBe(salesDb);
    expect(salesDb.products.map((p) => p.product_id)).toContain("ACME-T5");
  });

  it("refuses writes because the connection is query_only", () => {
    expect(() => salesDb.db.exec("DELETE FROM sales")).toThrow(/readonly|read-only|query_only/i);
    expect(() => salesDb.db.prepare("INSERT INTO products VALUES ('X', 'X', 'IoT', 1, '2020-01-01')").run()).toThrow(
      /readonly|read-only|query_only/i,
    );
    expect(() => salesDb.db.exec("DROP TABLE sales")).toThrow(/readonly|read-only|query_only/i);
    expect(() => salesDb.db.exec("UPDATE sales SET revenue_usd = 0")).toThrow(/readonly|read-only|query_only/i);
    expect(salesDb.db.pragma("query_only", { simple: true })).toBe(1);
    expect(tableRowCount()).toBe(facts.length);
  });

  describe("rejects a bad row with its file and line", () => {
    const dirs: string[] = [];
    afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
    const withSales = (mutate: (lines: string[]) => void) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sales-"));
      dirs.push(dir);
      fs.copyFileSync(path.join(DATA_DIR, "products.csv"), path.join(dir, "products.csv"));
      const lines = csvText.split("\n");
      mutate(lines);
      fs.writeFileSync(path.join(dir, "sales.csv"), lines.join("\n"));
      return dir;
    };
    it.each([
      ["a non-numeric units value", (l: string[]) => void (l[4] = l[4]!.replace(/,(\d+),(\d+),(\w+)$/, ",ten,$2,$3")), 5],
      ["an unknown region", (l: string[]) => void (l[2] = l[2]!.replace("North America", "Mars")), 3],
      ["a quarter not matching the month", (l: string[]) => void (l[7] = l[7]!.replace("2025-Q1", "2025-Q3")), 8],
      ["a missing field", (l: string[]) => void (l[10] = l[10]!.split(",").slice(0, 8).join(",")), 11],
      ["an unknown product", (l: string[]) => void (l[3] = l[3]!.replace(/ACME-R\d00/, "ACME-ZZ9")), 4],
    ])("%s", (_name, mutate, line) => {
      const dir = withSales(mutate);
      let error: unknown;
      try {
        loadSalesDb(dir);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("corpus_invalid");
      expect((error as AppError).message).toContain(`sales.csv:${line}:`);
    });
  });
});

describe("sales_query answers", () => {
  it("finds the region with the highest Q2 revenue", () => {
    const byRegion = sumBy(
      facts.filter((f) => f.quarter === "2025-Q2"),
      (f) => f.region,
      (f) => f.revenue_usd,
    );
    const [topRegion, topRevenue] = [...byRegion.entries()].sort((a, b) => b[1] - a[1])[0]!;
    const result = runSalesQuery(salesDb, { metric: "revenue", quarter: "2025-Q2", groupBy: ["region"], order: "desc", limit: 1 });
    expect(result.rows).toEqual([{ region: topRegion, revenue_usd: topRevenue }]);
    expect(result.rowCount).toBe(1);
    expect(result.params).toEqual(["2025-Q2", 1]);
    expect(result.sql).toMatch(/^SELECT region, SUM\(revenue_usd\) AS revenue_usd FROM sales WHERE quarter = \? GROUP BY region/);
  });

  it("totals Q3 revenue (however the quarter is spelt)", () => {
    const total = facts.filter((f) => f.quarter === "2025-Q3").reduce((s, f) => s + f.revenue_usd, 0);
    for (const quarter of ["2025-Q3", "Q3", "q3", "2025 Q3", "Q3 2025"]) {
      expect(runSalesQuery(salesDb, { metric: "revenue", quarter }).rows).toEqual([{ revenue_usd: total }]);
    }
    expect(runSalesQuery(salesDb, { quarter: "Q3" }).rows).toEqual([{ revenue_usd: total }]);
  });

  it("gives units by product in a month", () => {
    const expected = sumBy(
      facts.filter((f) => f.month === "2025-07"),
      (f) => f.product_id,
      (f) => f.units,
    );
    const result = runSalesQuery(salesDb, { metric: "units", month: "2025-07", groupBy: ["product"], limit: 50 });
    expect(result.rowCount).toBe(expected.size);
    for (const row of result.rows) expect(row.units).toBe(expected.get(String(row.product_id)));
    const units = result.rows.map((r) => Number(r.units));
    expect(units).toEqual([...units].sort((a, b) => b - a));
  });

  it("filters by product id, name or short id", () => {
    const expected = facts
      .filter((f) => f.product_id === "ACME-T5" && f.region === "APAC" && f.quarter === "2025-Q3")
      .reduce((s, f) => s + f.units, 0);
    for (const product of ["ACME-T5", "TrackPoint T5", "t5", "trackpoint t5"]) {
      expect(runSalesQuery(salesDb, { metric: "units", product, region: "apac", quarter: "2025-Q3" }).rows).toEqual([{ units: expected }]);
    }
  });

  it("computes the average unit price as revenue / units", () => {
    const r100 = facts.filter((f) => f.product_id === "ACME-R100");
    const expected = Math.round((r100.reduce((s, f) => s + f.revenue_usd, 0) / r100.reduce((s, f) => s + f.units, 0)) * 100) / 100;
    const result = runSalesQuery(salesDb, { metric: "avg_unit_price", product: "Roadrunner R100" });
    expect(result.rows).toEqual([{ avg_unit_price_usd: expected }]);
  });

  it("counts orders (sales records) and respects filters by channel and category", () => {
    const expected = facts.filter((f) => f.channel === "Online" && f.category === "IoT").length;
    expect(runSalesQuery(salesDb, { metric: "orders", channel: "online", category: "iot" }).rows).toEqual([{ orders: expected }]);
  });

  it("returns no rows (not a row of nulls) when nothing matches", () => {
    // The R100 is never sold Online.
    const result = runSalesQuery(salesDb, { product: "ACME-R100", channel: "Online" });
    expect(result).toMatchObject({ rows: [], rowCount: 0 });
  });

  it("orders ascending and caps by limit", () => {
    const byMonth = sumBy(
      facts,
      (f) => f.month,
      (f) => f.revenue_usd,
    );
    const lowest = [...byMonth.entries()].sort((a, b) => a[1] - b[1]).slice(0, 3);
    const result = runSalesQuery(salesDb, { groupBy: ["month"], order: "asc", limit: 3 });
    expect(result.rows).toEqual(lowest.map(([month, revenue_usd]) => ({ month, revenue_usd })));
  });

  it("rejects a month outside the given quarter", () => {
    expect(codeOf(() => parseSalesQueryParams({ month: "2025-07", quarter: "2025-Q2" }))).toBe("tool_input_invalid");
  });

  it("lists allowed values in its errors", () => {
    expect(() => runSalesQuery(salesDb, { metric: "profit" })).toThrow(/revenue, units, orders, avg_unit_price/);
    expect(() => runSalesQuery(salesDb, { region: "Mars" })).toThrow(/North America, EMEA, APAC, LATAM/);
    expect(() => runSalesQuery(salesDb, { product: "Widget" })).toThrow(/ACME-R100 \(Roadrunner R100\)/);
    expect(() => runSalesQuery(salesDb, { product: "Roadrunner" })).toThrow(/matches several products/);
    expect(() => runSalesQuery(salesDb, { quarter: "2024-Q3" })).toThrow(/2025-Q1, 2025-Q2, 2025-Q3, 2025-Q4/);
  });
});

describe("sales_query hostile input", () => {
  const hostile: [string, Record<string, unknown>][] = [
    ["quarter", { quarter: "2025-Q1' OR 1=1 --" }],
    ["quarter", { quarter: "EMEA'; DROP TABLE sales; --" }],
    ["month", { month: "2025-01' OR '1'='1" }],
    ["month", { month: 'x" UNION SELECT name FROM sqlite_master --' }],
    ["region", { region: "EMEA'; DROP TABLE sales; --" }],
    ["region", { region: 'x" UNION SELECT name FROM sqlite_master --' }],
    ["region", { region: "%" }],
    ["product", { product: "2025-Q1' OR 1=1 --" }],
    ["product", { product: "EMEA'; DROP TABLE sales; --" }],
    ["product", { product: 'x" UNION SELECT name FROM sqlite_master --' }],
    ["product", { product: "%" }],
    ["product", { product: "_" }],
    ["product", { product: "ACME-%" }],
    ["product", { product: "ACME-R1_0" }],
    ["category", { category: "IoT' OR 1=1 --" }],
    ["category", { category: "%" }],
    ["channel", { channel: "Direct'; DELETE FROM sales; --" }],
    ["channel", { channel: "_" }],
    ["metric", { metric: "revenue_usd) FROM sales; DROP TABLE sales; --" }],
    ["metric", { metric: "profit" }],
    ["metric", { metric: "SUM(units)" }],
    ["groupBy", { groupBy: ["region; DELETE FROM sales"] }],
    ["groupBy", { groupBy: ["region", "product", "month"] }],
    ["groupBy", { groupBy: "name FROM sqlite_master --" }],
    ["groupBy", { groupBy: [{ toString: "region" }] }],
    ["order", { order: "desc; DROP TABLE sales" }],
    ["order", { order: "RANDOM()" }],
    ["limit", { limit: "1; DROP TABLE sales" }],
    ["limit", { limit: 1_000_000 }],
    ["limit", { limit: 51 }],
    ["limit", { limit: -1 }],
    ["limit", { limit: 0 }],
    ["limit", { limit: 2.5 }],
    ["limit", { limit: Number.NaN }],
    ["extra key", { sql: "DROP TABLE sales" }],
    ["extra key", { where: "1=1" }],
    ["year", { year: "2025 OR 1=1" }],
    ["prototype", JSON.parse('{"__proto__": {"metric": "x"}, "constructor": "y"}') as Record<string, unknown>],
  ];

  it.each(hostile)("%s: %j is rejected or harmless", (_field, input) => {
    const before = tableRowCount();
    let outcome: string;
    try {
      const result = runSalesQuery(salesDb, input);
      outcome = result.rowCount === 0 ? "no rows" : "rows";
      // Whatever was accepted went only through bound parameters.
      expect(result.sql).not.toMatch(/['";]|--|DROP|DELETE|UNION|sqlite_master/i);
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      outcome = (error as AppError).code;
    }
    expect(["tool_input_invalid", "no rows"]).toContain(outcome);
    expect(tableRowCount()).toBe(before);
    expect(tableRowCount()).toBe(facts.length);
  });

  it("never echoes values into the SQL text", () => {
    const result = runSalesQuery(salesDb, {
      metric: "units",
      quarter: "Q1",
      month: "2025-02",
      region: "EMEA",
      product: "ACME-S10",
      category: "Drones",
      channel: "Partner",
      groupBy: ["channel", "month"],
      limit: 5,
    });
    expect(result.params).toEqual(["2025-Q1", "2025-02", "EMEA", "ACME-S10", "Drones", "Partner", 5]);
    for (const value of result.params) if (typeof value === "string") expect(result.sql).not.toContain(value);
    expect(result.sql.match(/\?/g)).toHaveLength(result.params.length);
  });

  it("compiles only from constant identifiers", () => {
    const compiled = compileSalesQuery(parseSalesQueryParams({ groupBy: ["product", "category"], order: "asc" }), salesDb.products);
    expect(compiled.sql).toBe(
      "SELECT product_id, product_name AS product, category, SUM(revenue_usd) AS revenue_usd FROM sales GROUP BY product_id, product_name, category HAVING COUNT(*) > 0 ORDER BY SUM(revenue_usd) ASC, product_id ASC, category ASC LIMIT ?",
    );
    expect(compiled.params).toEqual([10]);
  });

  it("rejects non-object input", () => {
    for (const input of [null, "revenue", 42, ["metric"]]) {
      expect(codeOf(() => runSalesQuery(salesDb, input))).toBe("tool_input_invalid");
    }
  });
});
