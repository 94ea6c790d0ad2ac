import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { getSalesDb } from "@/lib/sales/sales-db";
import { runSalesQuery, type SalesQueryResult } from "@/lib/sales/sales-query";
import { DEFAULT_LIMIT, GROUP_BY_KEYS, MAX_GROUP_BY, MAX_LIMIT, METRICS, ORDERS } from "@/lib/sales/sales-query-params";
import { CATEGORIES, CHANNELS, QUARTERS, REGIONS } from "@/lib/sales/sales-db";

export const SALES_QUERY_TOOL_NAME = "sales_query";

export const salesQueryDescription = `Look up ACME Corp's FY2025 sales figures (January to December 2025): revenue in US dollars, units sold and number of sales records, by month, quarter, region, product, category and channel. Use it for questions about sales numbers; do not write SQL, fill in the parameters.
Parameters: metric (revenue | units | orders | avg_unit_price; default revenue), quarter (2025-Q1..2025-Q4), month (2025-01..2025-12), region (North America, EMEA, APAC, LATAM), product (id like ACME-R100 or name like Roadrunner R100), category (Robotics, Drones, IoT, Software, Accessories), channel (Direct, Partner, Online), groupBy (up to 2 of region, product, quarter, month, channel, category), order (desc | asc), limit (1-50, default 10).
Examples:
"What were the first quarter's sales?" -> {"metric":"revenue","quarter":"2025-Q1"}
"Which channel brought in the most revenue in Q4?" -> {"metric":"revenue","quarter":"2025-Q4","groupBy":["channel"],"order":"desc","limit":1}
"How many Anvil A1 units went to LATAM in Q2?" -> {"metric":"units","product":"ACME-A1","region":"LATAM","quarter":"2025-Q2"}
"Which category sold the fewest units?" -> {"metric":"units","groupBy":["category"],"order":"asc","limit":1}
"Revenue by region in March" -> {"metric":"revenue","month":"2025-03","groupBy":["region"]}
Returns JSON: rows (one per group; revenue_usd is in US dollars), rowCount, and the SQL that was run.`;

/**
 * What the model sees. Every field is `unknown` to zod and only carries JSON-schema hints
 * (type, enum, range) through `.meta()`: LangChain validates tool input against this
 * schema before our function runs and would throw its own ToolInputParsingException;
 * validating in `runSalesQuery` instead turns every bad input into `tool_input_invalid`
 * with the allowed values listed, which a model can act on.
 */
export const salesQuerySchema = z.looseObject({
  metric: z
    .unknown()
    .optional()
    .describe(
      "What to measure: revenue (US dollars), units (units sold), orders (number of sales records) or avg_unit_price (revenue / units). Default revenue.",
    )
    .meta({ type: "string", enum: [...METRICS] }),
  quarter: z
    .unknown()
    .optional()
    .describe('Only this fiscal quarter, e.g. "2025-Q2" ("Q2" also works).')
    .meta({ type: "string", enum: [...QUARTERS] }),
  month: z
    .unknown()
    .optional()
    .describe('Only this month, as YYYY-MM, e.g. "2025-07".')
    .meta({ type: "string", pattern: "^2025-(0[1-9]|1[0-2])$" }),
  region: z
    .unknown()
    .optional()
    .describe("Only this sales region.")
    .meta({ type: "string", enum: [...REGIONS] }),
  product: z
    .unknown()
    .optional()
    .describe('Only this product: its id (e.g. "ACME-R100") or name (e.g. "Roadrunner R100").')
    .meta({ type: "string" }),
  category: z
    .unknown()
    .optional()
    .describe("Only this product category.")
    .meta({ type: "string", enum: [...CATEGORIES] }),
  channel: z
    .unknown()
    .optional()
    .describe("Only this sales channel.")
    .meta({ type: "string", enum: [...CHANNELS] }),
  groupBy: z
    .unknown()
    .optional()
    .describe(`Break the result down by up to ${MAX_GROUP_BY} of these, e.g. ["region"]. Leave out for one total.`)
    .meta({ type: "array", items: { type: "string", enum: [...GROUP_BY_KEYS] }, maxItems: MAX_GROUP_BY }),
  order: z
    .unknown()
    .optional()
    .describe('Sort groups by the metric: "desc" (largest first, default) or "asc".')
    .meta({ type: "string", enum: [...ORDERS] }),
  limit: z
    .unknown()
    .optional()
    .describe(`How many groups to return, 1 to ${MAX_LIMIT} (default ${DEFAULT_LIMIT}). Use 1 for "which ... had the highest".`)
    .meta({ type: "integer", minimum: 1, maximum: MAX_LIMIT }),
});

/** The compact JSON observation handed back to the model (and shown in steps and traces). */
export function formatSalesObservation(result: SalesQueryResult): string {
  const note = result.rowCount === 0 ? { note: "No sales match these filters." } : {};
  return JSON.stringify({ rowCount: result.rowCount, rows: result.rows, ...note, sql: result.sql, params: result.params });
}

/** A `sales_query` tool over the CSVs in `dataDir` (loaded on first call, then shared). */
export function createSalesQueryTool(options: { dataDir: string }) {
  return tool((input: unknown) => Promise.resolve(formatSalesObservation(runSalesQuery(getSalesDb(options.dataDir), input))), {
    name: SALES_QUERY_TOOL_NAME,
    description: salesQueryDescription,
    schema: salesQuerySchema,
  });
}
