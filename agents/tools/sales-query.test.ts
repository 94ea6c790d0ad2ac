import { toJsonSchema } from "@langchain/core/utils/json_schema";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { defaultSalesDir } from "@/lib/sales/sales-db";
import { createSalesQueryTool, salesQueryDescription, salesQuerySchema } from "./sales-query";

const salesQueryTool = createSalesQueryTool({ dataDir: defaultSalesDir() });

describe("sales_query tool", () => {
  it("is named and described for the model", () => {
    expect(salesQueryTool.name).toBe("sales_query");
    expect(salesQueryTool.description).toBe(salesQueryDescription);
    expect(salesQueryDescription).toContain('{"metric":"revenue","quarter":"2025-Q4","groupBy":["channel"],"order":"desc","limit":1}');
    expect(salesQueryDescription).toContain('{"metric":"revenue","quarter":"2025-Q1"}');
  });

  it("shows the model a JSON schema with descriptions and allowed values", () => {
    const schema = toJsonSchema(salesQuerySchema) as {
      properties: Record<string, { description?: string; enum?: string[]; type?: string; maximum?: number }>;
    };
    const derived = ["derive", "shareOf", "compareTo", "per"];
    for (const field of [
      "metric",
      "quarter",
      "month",
      "region",
      "product",
      "category",
      "channel",
      "groupBy",
      "order",
      "limit",
      ...derived,
    ]) {
      expect(schema.properties[field]?.description, field).toBeTruthy();
    }
    expect(schema.properties.metric?.enum).toEqual(["revenue", "units", "orders", "avg_unit_price"]);
    expect(schema.properties.region?.enum).toEqual(["North America", "EMEA", "APAC", "LATAM"]);
    expect(schema.properties.limit).toMatchObject({ type: "integer", maximum: 50 });
    expect(schema.properties.derive?.enum).toEqual(["share", "growth", "average"]);
  });

  it("shows the query as it read it (spec) beside the rows of a derived figure", async () => {
    const output = await salesQueryTool.invoke({ derive: "growth", quarter: "Q4", product: "coyote cloud" });
    const parsed = JSON.parse(String(output)) as { spec: Record<string, unknown>; rows: Record<string, unknown>[] };
    expect(parsed.spec).toMatchObject({
      product: "ACME-C1",
      quarter: "2025-Q4",
      derived: { measure: "growth", period: "quarter", from: "2025-Q3", to: "2025-Q4" },
    });
    expect(Object.keys(parsed.rows[0] ?? {})).toEqual(["from_revenue_usd", "to_revenue_usd", "change_revenue_usd", "growth_pct"]);
  });

  it("returns a compact JSON observation with the SQL and parameters", async () => {
    const output: unknown = await salesQueryTool.invoke({
      metric: "revenue",
      quarter: "2025-Q2",
      groupBy: ["region"],
      order: "desc",
      limit: 1,
    });
    expect(typeof output).toBe("string");
    const parsed = JSON.parse(output as string) as { rowCount: number; rows: Record<string, unknown>[]; sql: string; params: unknown[] };
    expect(parsed.rowCount).toBe(1);
    expect(parsed.rows[0]).toHaveProperty("region");
    expect(parsed.sql).toContain("WHERE quarter = ?");
    expect(parsed.params).toEqual(["2025-Q2", 1]);
    expect(output).not.toContain("\n");
  });

  it("says so when nothing matches", async () => {
    const output = await salesQueryTool.invoke({ product: "ACME-R200", channel: "Online" });
    expect(JSON.parse(String(output))).toMatchObject({ rowCount: 0, rows: [], note: expect.any(String) });
  });

  it.each([
    { metric: "profit" },
    { quarter: "2025-Q1' OR 1=1 --" },
    { limit: "1; DROP TABLE sales" },
    { groupBy: ["region; DELETE FROM sales"] },
    { quarter: 3 },
    { sql: "SELECT 1" },
  ])("turns bad input %j into tool_input_invalid", async (input) => {
    const error: unknown = await salesQueryTool.invoke(input).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("tool_input_invalid");
  });
});
