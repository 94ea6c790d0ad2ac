import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { getSalesDb } from "@/lib/sales/sales-db";
import { runSalesQuery, type SalesQueryResult } from "@/lib/sales/sales-query";
import { GROUP_BY_KEYS, METRICS, ORDERS } from "@/lib/sales/sales-dimensions";
import { DEFAULT_LIMIT, MAX_GROUP_BY, MAX_LIMIT } from "@/lib/sales/sales-query-params";
import { DERIVED_MEASURES, PER_KEYS, SHARE_OF_KEYS } from "@/lib/sales/sales-derived-params";
import { CATEGORIES, CHANNELS, QUARTERS, REGIONS } from "@/lib/sales/sales-db";

export const SALES_QUERY_TOOL_NAME = "sales_query";

export const salesQueryDescription = `Look up ACME Corp's FY2025 sales figures (January to December 2025): revenue in US dollars, units sold and number of sales records, by month, quarter, region, product, category and channel. Use it for questions about sales numbers; do not write SQL, fill in the parameters.
Parameters: metric (revenue | units | orders | avg_unit_price; default revenue), quarter (2025-Q1..2025-Q4), month (2025-01..2025-12), region (North America, EMEA, APAC, LATAM), product (id like ACME-R100 or name like Roadrunner R100), category (Robotics, Drones, IoT, Software, Accessories), channel (Direct, Partner, Online), groupBy (up to 2 of region, product, quarter, month, channel, category), order (desc | asc), limit (1-50, default 10).
Derived figures: derive share (a filter's share of the total without it, or each group's share; shareOf names the part when several filters are set), derive growth (quarter or month against compareTo, default the period before; with groupBy quarter or month, each period against the one before; the data has no year before FY2025), derive average (per month or quarter over the periods in scope; per unit = revenue per unit sold). Top N = groupBy + order + limit.
Examples:
"What were the first quarter's sales?" -> {"metric":"revenue","quarter":"2025-Q1"}
"Which channel brought in the most revenue in Q4?" -> {"metric":"revenue","quarter":"2025-Q4","groupBy":["channel"],"order":"desc","limit":1}
"How many Anvil A1 units went to LATAM in Q2?" -> {"metric":"units","product":"ACME-A1","region":"LATAM","quarter":"2025-Q2"}
"Which category sold the fewest units?" -> {"metric":"units","groupBy":["category"],"order":"asc","limit":1}
"Revenue by region in March" -> {"metric":"revenue","month":"2025-03","groupBy":["region"]}
"What part of Q1 unit sales did drones make up?" -> {"metric":"units","quarter":"2025-Q1","category":"Drones","derive":"share"}
"Change in Partner revenue between Q1 and Q3" -> {"metric":"revenue","channel":"Partner","quarter":"2025-Q3","compareTo":"2025-Q1","derive":"growth"}
"Mean units per month for the PowerCell P3" -> {"metric":"units","product":"ACME-P3","derive":"average","per":"month"}
Returns JSON: the query as read (spec), rows (one per group; revenue_usd is in US dollars; share_pct and growth_pct in per cent, with the figures they come from), rowCount, and the SQL that was run.`;

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
  derive: z
    .unknown()
    .optional()
    .describe(
      "A figure derived from the totals: share (of the total), growth (between two periods, in per cent) or average (per month or quarter).",
    )
    .meta({ type: "string", enum: [...DERIVED_MEASURES] }),
  shareOf: z
    .unknown()
    .optional()
    .describe("With derive share: which filter is the part (the total drops only that filter). Needed only when several filters are set.")
    .meta({ type: "string", enum: [...SHARE_OF_KEYS] }),
  compareTo: z
    .unknown()
    .optional()
    .describe(
      'With derive growth: the earlier period, a quarter ("2025-Q2") or month ("2025-06"); the later one is quarter or month. Default: the period before.',
    )
    .meta({ type: "string" }),
  per: z
    .unknown()
    .optional()
    .describe("With derive average: month or quarter (the total over the periods in scope), or unit (revenue per unit sold).")
    .meta({ type: "string", enum: [...PER_KEYS] }),
});

/** The compact JSON observation handed back to the model (and shown in steps and traces). */
export function formatSalesObservation(result: SalesQueryResult): string {
  const note = result.note ? { note: result.note } : result.rowCount === 0 ? { note: "No sales match these filters." } : {};
  return JSON.stringify({
    spec: result.spec,
    rowCount: result.rowCount,
    rows: result.rows,
    ...note,
    sql: result.sql,
    params: result.params,
  });
}

/** A `sales_query` tool over the CSVs in `dataDir` (loaded on first call, then shared). */
export function createSalesQueryTool(options: { dataDir: string }) {
  return tool((input: unknown) => Promise.resolve(formatSalesObservation(runSalesQuery(getSalesDb(options.dataDir), input))), {
    name: SALES_QUERY_TOOL_NAME,
    description: salesQueryDescription,
    schema: salesQuerySchema,
  });
}
