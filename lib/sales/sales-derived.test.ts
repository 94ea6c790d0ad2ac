import { describe, expect, it } from "vitest";
import { pct, readSalesFacts, SALES_DATA_DIR, sumBy, total, type SalesFact } from "@/test-support/sales/sales-facts";
import { AppError } from "../errors";
import { getSalesDb } from "./sales-db";
import { runSalesQuery } from "./sales-query";
import { parseSalesQueryParams } from "./sales-query-params";

// Derived figures against the real table: each expected value is summed here from the CSV
// (independently of the SQL), and the headline ones are also the figures the quarterly
// reports in data/corpus quote, written out by hand.

const facts = readSalesFacts();
const salesDb = getSalesDb(SALES_DATA_DIR);
const revenue = (f: SalesFact) => f.revenue_usd;
const units = (f: SalesFact) => f.units;
const run = (input: Record<string, unknown>) => runSalesQuery(salesDb, input);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof AppError ? error.code : `non-AppError: ${String(error)}`;
  }
}

describe("share of the total", () => {
  it("gives a region's share of the year's revenue with its part and the total", () => {
    const part = total(facts, (f) => f.region === "EMEA", revenue);
    const whole = total(facts, () => true, revenue);
    const result = run({ derive: "share", region: "EMEA" });
    expect(result.rows).toEqual([{ revenue_usd: part, total_revenue_usd: whole, share_pct: pct(part, whole) }]);
    expect(result.rows[0]).toEqual({ revenue_usd: 9_140_911, total_revenue_usd: 32_437_875, share_pct: 28.2 });
    expect(result.spec.derived).toEqual({ measure: "share", part: "region" });
  });

  it("keeps the other filters on both sides: the part is only the filter shareOf names", () => {
    const inQ4 = facts.filter((f) => f.quarter === "2025-Q4");
    const part = total(inQ4, (f) => f.channel === "Partner", revenue);
    const whole = total(inQ4, () => true, revenue);
    const result = run({ derive: "share", quarter: "Q4", channel: "Partner" });
    expect(result.rows).toEqual([{ revenue_usd: part, total_revenue_usd: whole, share_pct: pct(part, whole) }]);
    // A product's units: the part is the region, the whole is that product everywhere.
    const s10 = facts.filter((f) => f.product_id === "ACME-S10");
    const apac = run({ derive: "share", metric: "units", product: "SkyHook S10", region: "APAC", shareOf: "region" });
    expect(apac.rows[0]).toEqual({
      units: total(s10, (f) => f.region === "APAC", units),
      total_units: total(s10, () => true, units),
      share_pct: pct(
        total(s10, (f) => f.region === "APAC", units),
        total(s10, () => true, units),
      ),
    });
    expect(apac.params).toEqual(["APAC", "ACME-S10"]);
  });

  it("gives each group's share of all groups when grouped, even past the limit", () => {
    const byRegion = sumBy(
      facts.filter((f) => f.quarter === "2025-Q3"),
      (f) => f.region,
      revenue,
    );
    const whole = [...byRegion.values()].reduce((a, b) => a + b, 0);
    const result = run({ derive: "share", quarter: "2025-Q3", groupBy: ["region"], limit: 2 });
    const top = [...byRegion.entries()].sort((a, b) => b[1] - a[1]).slice(0, 2);
    expect(result.rows).toEqual(top.map(([region, r]) => ({ region, revenue_usd: r, total_revenue_usd: whole, share_pct: pct(r, whole) })));
    // The Q3 report: APAC $3,438,878, 40.4% of $8,515,801.
    expect(result.rows[0]).toMatchObject({ region: "APAC", revenue_usd: 3_438_878, share_pct: 40.4, total_revenue_usd: 8_515_801 });
  });

  it("a quarter's share of the year when the quarter is the only filter", () => {
    const part = total(facts, (f) => f.quarter === "2025-Q4", revenue);
    const result = run({ derive: "share", quarter: "2025-Q4" });
    expect(result.rows[0]).toMatchObject({
      revenue_usd: part,
      share_pct: pct(
        part,
        total(facts, () => true, revenue),
      ),
    });
  });
});

describe("growth between periods", () => {
  it("compares a quarter with the one before by default", () => {
    const q2 = total(facts, (f) => f.quarter === "2025-Q2", revenue);
    const q3 = total(facts, (f) => f.quarter === "2025-Q3", revenue);
    const result = run({ derive: "growth", quarter: "Q3" });
    expect(result.rows).toEqual([{ from_revenue_usd: q2, to_revenue_usd: q3, change_revenue_usd: q3 - q2, growth_pct: pct(q3 - q2, q2) }]);
    // The Q3 report: "an increase of 17.0% over Q2 2025 ($7,278,431)".
    expect(result.rows[0]).toMatchObject({ from_revenue_usd: 7_278_431, to_revenue_usd: 8_515_801, growth_pct: 17 });
    expect(result.spec.derived).toEqual({ measure: "growth", period: "quarter", from: "2025-Q2", to: "2025-Q3" });
  });

  it("compares any two quarters or months with the filters applied to both", () => {
    const apac = facts.filter((f) => f.region === "APAC");
    const q2 = total(apac, (f) => f.quarter === "2025-Q2", revenue);
    const q3 = total(apac, (f) => f.quarter === "2025-Q3", revenue);
    expect(run({ derive: "growth", region: "APAC", quarter: "Q3", compareTo: "Q2" }).rows[0]).toMatchObject({
      growth_pct: pct(q3 - q2, q2),
    });
    expect(pct(q3 - q2, q2)).toBe(117.2);

    const emea = facts.filter((f) => f.region === "EMEA");
    const aug = total(emea, (f) => f.month === "2025-08", units);
    const sep = total(emea, (f) => f.month === "2025-09", units);
    expect(run({ compareTo: "August", month: "2025-09", region: "EMEA", metric: "units" }).rows).toEqual([
      { from_units: aug, to_units: sep, change_units: sep - aug, growth_pct: pct(sep - aug, aug) },
    ]);
  });

  it("ranks groups by growth, a fall sorting below a rise", () => {
    const by = (quarter: string) =>
      sumBy(
        facts.filter((f) => f.quarter === quarter),
        (f) => f.region,
        revenue,
      );
    const [q2, q3] = [by("2025-Q2"), by("2025-Q3")];
    const expected = [...q3.keys()]
      .map((region) => ({ region, growth: pct(q3.get(region)! - q2.get(region)!, q2.get(region)!) }))
      .sort((a, b) => b.growth - a.growth);
    const result = run({ derive: "growth", quarter: "Q3", compareTo: "Q2", groupBy: ["region"] });
    expect(result.rows.map((r) => [r.region, r.growth_pct])).toEqual(expected.map((e) => [e.region, e.growth]));
    // EMEA fell back after the Q2 port deals: -37.6% in the Q3 report.
    expect(result.rows.at(-1)).toMatchObject({ region: "EMEA", growth_pct: -37.6, change_revenue_usd: 1_829_757 - 2_931_497 });
  });

  it("gives each quarter against the one before as a series, in order of time", () => {
    const byQuarter = sumBy(facts, (f) => f.quarter, revenue);
    const result = run({ derive: "growth", groupBy: ["quarter"] });
    expect(result.rows.map((r) => r.quarter)).toEqual(["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]);
    expect(result.rows[0]).toEqual({ quarter: "2025-Q1", revenue_usd: byQuarter.get("2025-Q1") });
    expect(result.rows.slice(1).map((r) => r.growth_pct)).toEqual([23, 17, 25.9]);
    const q4 = byQuarter.get("2025-Q4")!;
    const q3 = byQuarter.get("2025-Q3")!;
    expect(result.rows[3]).toEqual({
      quarter: "2025-Q4",
      revenue_usd: q4,
      previous_revenue_usd: q3,
      change_revenue_usd: q4 - q3,
      growth_pct: pct(q4 - q3, q3),
    });
    expect(run({ derive: "growth", groupBy: ["quarter"], order: "desc", limit: 1 }).rows.map((r) => r.quarter)).toEqual(["2025-Q4"]);
  });

  it("has no earlier year to compare with: no statement, and a note saying why", () => {
    const result = run({ derive: "growth", quarter: "Q3", compareTo: "2024-Q3" });
    expect(result).toMatchObject({ rows: [], rowCount: 0, sql: "", note: expect.stringContaining("FY2025 only") });
    expect(run({ compareTo: "last year", quarter: "Q3" }).spec.derived).toEqual({ measure: "growth", unavailable: "previous_year" });
  });

  it.each([
    [{ derive: "growth", quarter: "Q1" }, /first quarter/],
    [{ derive: "growth" }, /growth needs periods/],
    [{ derive: "growth", quarter: "Q3", compareTo: "2025-06" }, /both be quarters or both months/],
    [{ derive: "growth", quarter: "Q3", compareTo: "Q3" }, /same period/],
    [{ derive: "growth", quarter: "Q3", groupBy: ["quarter"] }, /cannot also be grouped/],
    [{ derive: "growth", compareTo: "Q5", quarter: "Q3" }, /compareTo "Q5" is not allowed/],
  ])("rejects growth it cannot compute: %j", (input, message) => {
    expect(() => run(input)).toThrow(message);
    expect(codeOf(() => run(input))).toBe("tool_input_invalid");
  });
});

describe("top N", () => {
  it("is the plain query's groupBy + order + limit", () => {
    const byProduct = sumBy(facts, (f) => f.product_name, units);
    const top3 = [...byProduct.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3);
    const result = run({ metric: "units", groupBy: ["product"], limit: 3 });
    expect(result.rows.map((r) => [r.product, r.units])).toEqual(top3);
    expect(result.sql).toMatch(/ORDER BY SUM\(units\) DESC, product_id ASC LIMIT \?$/);
  });
});

describe("averages", () => {
  it("spreads a total over the months in scope", () => {
    const na = total(facts, (f) => f.region === "North America", revenue);
    const result = run({ derive: "average", per: "month", region: "North America" });
    expect(result.rows).toEqual([{ revenue_usd: na, months: 12, revenue_usd_per_month: Math.round((na / 12) * 100) / 100 }]);
    expect(result.rows[0]?.revenue_usd_per_month).toBe(920_604);
    // A quarter has three months; per quarter over the year is four.
    const q2Units = total(facts, (f) => f.quarter === "2025-Q2", units);
    expect(run({ per: "month", quarter: "Q2", metric: "units" }).rows[0]).toMatchObject({
      months: 3,
      units_per_month: Math.round((q2Units / 3) * 100) / 100,
    });
    expect(run({ per: "quarter", metric: "units" }).rows[0]).toMatchObject({ quarters: 4, units_per_quarter: 62_288 / 4 });
  });

  it("gives revenue per unit sold with the revenue and units it comes from", () => {
    const r100 = facts.filter((f) => f.product_id === "ACME-R100");
    const [r, u] = [total(r100, () => true, revenue), total(r100, () => true, units)];
    const result = run({ derive: "average", per: "unit", product: "r100" });
    expect(result.rows).toEqual([{ revenue_usd: r, units: u, revenue_usd_per_unit: Math.round((r / u) * 100) / 100 }]);
    expect(result.spec).toMatchObject({ metric: "revenue", product: "ACME-R100", derived: { measure: "average", per: "unit" } });
  });

  it.each([
    [{ per: "month", groupBy: ["month"] }, /cannot be grouped by month/],
    [{ per: "quarter", month: "2025-05" }, /at least a quarter/],
    [{ per: "unit", metric: "units" }, /per unit is revenue per unit sold/],
    [{ per: "month", metric: "avg_unit_price" }, /needs a metric that adds up/],
  ])("rejects an average it cannot compute: %j", (input, message) => {
    expect(() => run(input)).toThrow(message);
  });
});

describe("derived parameters stay allow-listed and bound", () => {
  it.each([
    { derive: "ratio" },
    { derive: "share'; DROP TABLE sales; --" },
    { shareOf: "region) OR 1=1 --", region: "EMEA" },
    { shareOf: "sqlite_master" },
    { compareTo: "2025-Q2' OR '1'='1", quarter: "Q3" },
    { compareTo: { toString: "2025-Q2" }, quarter: "Q3" },
    { per: "day" },
    { per: "month; DELETE FROM sales" },
    { derive: "share", metric: "avg_unit_price", region: "EMEA" },
    { derive: "share", region: "EMEA", product: "ACME-R100" },
    { derive: "share" },
    { shareOf: "region" },
    { compareTo: "Q2" },
  ])("%j is tool_input_invalid", (input) => {
    expect(codeOf(() => run(input))).toBe("tool_input_invalid");
  });

  it("binds every value, the derived ones included", () => {
    const result = run({ derive: "growth", quarter: "Q3", compareTo: "Q2", region: "LATAM", product: "ACME-C1", groupBy: ["channel"] });
    expect(result.params).toEqual(["2025-Q2", "2025-Q3", "2025-Q2", "2025-Q3", "LATAM", "ACME-C1", 10]);
    for (const value of result.params) if (typeof value === "string") expect(result.sql).not.toContain(value);
    expect(result.sql.match(/\?/g)).toHaveLength(result.params.length);
    expect(result.sql).not.toMatch(/['";]|--/);
  });

  it("infers the measure from its own parameter and lists the new parameters in errors", () => {
    expect(parseSalesQueryParams({ shareOf: "region", region: "EMEA" }).derived).toEqual({ measure: "share", part: "region" });
    expect(parseSalesQueryParams({ compareTo: "2025-Q1", quarter: "2025-Q4" }).derived).toMatchObject({
      measure: "growth",
      from: "2025-Q1",
    });
    expect(parseSalesQueryParams({ per: "quarter" }).derived).toEqual({ measure: "average", per: "quarter", periods: 4 });
    expect(() => run({ sql: "x" })).toThrow(/derive, shareOf, compareTo, per/);
  });
});
