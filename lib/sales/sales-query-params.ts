import { z } from "zod";
import { AppError } from "../errors";
import { formatIssuePath } from "../validation/zod-issues";
import { enumField, fail, optional, stringOf } from "./param-fields";
import { CATEGORIES, CHANNELS, MONTHS, QUARTERS, REGIONS, quarterOfMonth, type Month, type Quarter } from "./sales-db";
import { compareToField, deriveField, perField, resolveDerived, shareOfField, type DerivedSpec } from "./sales-derived-params";
import { GROUP_BY_KEYS, METRICS, ORDERS, type GroupByKey, type Metric } from "./sales-dimensions";
import { key, normaliseMonth, normaliseQuarter, shown } from "./sales-value-matching";

/**
 * `sales_query`'s parameters: what the model may ask for (metrics, filters, grouping, order,
 * limit, and the derived figures of ./sales-derived-params), normalised and checked against
 * allow-lists. Anything that does not map onto an allowed value is a `tool_input_invalid`
 * listing them, which a model can act on.
 */

export const MAX_LIMIT = 50;
export const DEFAULT_LIMIT = 10;
export const MAX_GROUP_BY = 2;

export const SALES_QUERY_PARAMS = [
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
  "derive",
  "shareOf",
  "compareTo",
  "per",
  "year",
] as const;

const quarterField = z.unknown().transform((value, ctx): Quarter => {
  const text = stringOf(value);
  const quarter = text === undefined ? undefined : normaliseQuarter(text);
  if (quarter) return quarter;
  return fail(ctx, value, `quarter ${shown(value)} is not allowed; use one of: ${QUARTERS.join(", ")} (or Q1..Q4); only FY2025 exists`);
});

const monthField = z.unknown().transform((value, ctx): Month => {
  const text = stringOf(value);
  const month = text === undefined ? undefined : normaliseMonth(text);
  if (month) return month;
  return fail(ctx, value, `month ${shown(value)} is not allowed; use YYYY-MM from ${MONTHS[0]} to ${MONTHS[11]}; only FY2025 exists`);
});

const productField = z.unknown().transform((value, ctx): string => {
  if (typeof value === "string" && value.trim().length > 0 && value.length <= 100) return value.trim();
  return fail(ctx, value, `product ${shown(value)} must be a product id (e.g. ACME-R100) or product name`);
});

/** `year` is accepted only so that a model adding `year: 2025` is not punished; it filters nothing. */
const yearField = z.unknown().transform((value, ctx): 2025 => {
  const text = stringOf(value);
  if (text !== undefined && /^(?:fy ?)?2025$/.test(key(text))) return 2025;
  return fail(ctx, value, `year ${shown(value)} is not available; the data covers FY2025 only (2025-01 to 2025-12)`);
});

const GROUP_BY_ALIASES: Record<string, GroupByKey> = {
  regions: "region",
  products: "product",
  product_id: "product",
  product_name: "product",
  sku: "product",
  quarters: "quarter",
  months: "month",
  channels: "channel",
  categories: "category",
};
const groupByItem = enumField("groupBy", GROUP_BY_KEYS, GROUP_BY_ALIASES);

const groupByField = z.unknown().transform((value, ctx): GroupByKey[] => {
  const items = typeof value === "string" ? value.split(",").filter((s) => s.trim() !== "") : value;
  if (!Array.isArray(items)) {
    return fail(ctx, value, `groupBy must be a list of up to ${MAX_GROUP_BY} of: ${GROUP_BY_KEYS.join(", ")}`);
  }
  const out: GroupByKey[] = [];
  for (const item of items) {
    const parsed = groupByItem.safeParse(item);
    if (!parsed.success) return fail(ctx, item, parsed.error.issues[0]?.message ?? "invalid groupBy");
    if (!out.includes(parsed.data)) out.push(parsed.data);
  }
  if (out.length > MAX_GROUP_BY) {
    return fail(ctx, value, `groupBy takes at most ${MAX_GROUP_BY} of: ${GROUP_BY_KEYS.join(", ")}`);
  }
  return out;
});

const limitField = z.unknown().transform((value, ctx): number => {
  const n = typeof value === "number" ? value : typeof value === "string" && /^\s*\d{1,6}\s*$/.test(value) ? Number(value) : NaN;
  if (Number.isInteger(n) && n >= 1 && n <= MAX_LIMIT) return n;
  return fail(ctx, value, `limit ${shown(value)} is not allowed; use a whole number from 1 to ${MAX_LIMIT}`);
});

/** The query parameters, normalised. Input is deliberately `unknown` per field: every check is ours. */
export const salesQueryParamsSchema = z
  .strictObject(
    {
      metric: optional(
        enumField("metric", METRICS, {
          sales: "revenue",
          revenue_usd: "revenue",
          total_revenue: "revenue",
          unit: "units",
          units_sold: "units",
          quantity: "units",
          order: "orders",
          order_count: "orders",
          count: "orders",
          rows: "orders",
          average_unit_price: "avg_unit_price",
          avg_price: "avg_unit_price",
          average_price: "avg_unit_price",
          unit_price: "avg_unit_price",
        }),
      ),
      quarter: optional(quarterField),
      month: optional(monthField),
      region: optional(
        enumField("region", REGIONS, {
          na: "North America",
          "n america": "North America",
          "asia pacific": "APAC",
          "latin america": "LATAM",
          "europe middle east and africa": "EMEA",
        }),
      ),
      product: optional(productField),
      category: optional(enumField("category", CATEGORIES)),
      channel: optional(enumField("channel", CHANNELS)),
      groupBy: optional(groupByField),
      order: optional(enumField("order", ORDERS, { ascending: "asc", descending: "desc" })),
      limit: optional(limitField),
      derive: optional(deriveField),
      shareOf: optional(shareOfField),
      compareTo: optional(compareToField),
      per: optional(perField),
      year: optional(yearField),
    },
    {
      error: (issue) =>
        issue.code === "unrecognized_keys" ? `unknown parameter(s) ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}` : undefined,
    },
  )
  .transform((q) => ({
    ...q,
    metric: q.metric ?? ("revenue" satisfies Metric),
    groupBy: q.groupBy ?? [],
    limit: q.limit ?? DEFAULT_LIMIT,
  }));

/**
 * The query, normalised: `order` stays unset when not given (plain rankings sort largest
 * first, a growth series chronologically), `derived` is the derived figure asked for.
 */
export type SalesQueryParams = z.output<typeof salesQueryParamsSchema> & { derived?: DerivedSpec };

/** Validates raw (model-produced) parameters; anything wrong is a `tool_input_invalid` listing what is allowed. */
export function parseSalesQueryParams(input: unknown): SalesQueryParams {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new AppError("tool_input_invalid", `sales_query expects an object of parameters: ${SALES_QUERY_PARAMS.join(", ")}`);
  }
  const parsed = salesQueryParamsSchema.safeParse(input);
  if (parsed.success) {
    const { month, quarter } = parsed.data;
    if (month && quarter && quarterOfMonth(month) !== quarter) {
      throw new AppError("tool_input_invalid", `month ${month} is not in quarter ${quarter}; give one of them or matching ones`);
    }
    const { metric, derived } = resolveDerived(parsed.data);
    return { ...parsed.data, metric, ...(derived ? { derived } : {}) };
  }
  const detail = parsed.error.issues
    .map((issue) => {
      const where = issue.path.length > 0 && !issue.message.startsWith(String(issue.path[0])) ? `${formatIssuePath(issue.path)}: ` : "";
      return `${where}${issue.message}`;
    })
    .join("; ");
  throw new AppError(
    "tool_input_invalid",
    `Invalid sales_query parameters: ${detail}. Allowed parameters: ${SALES_QUERY_PARAMS.filter((p) => p !== "year").join(", ")}`,
  );
}
