import { z } from "zod";
import { AppError } from "../errors";
import {
  CATEGORIES,
  CHANNELS,
  MONTHS,
  QUARTERS,
  REGIONS,
  quarterOfMonth,
  type Month,
  type Product,
  type Quarter,
  type SalesDb,
} from "./sales-db";

/**
 * `sales_query`: the model fills in structured parameters, never SQL. Parameters are
 * normalised and checked against allow-lists, then compiled to one parameterised SELECT:
 * identifiers (tables, columns, aggregate expressions, sort direction) only ever come from
 * the constant maps below, values only ever travel as bound `?` parameters.
 */

export const METRICS = ["revenue", "units", "orders", "avg_unit_price"] as const;
export type Metric = (typeof METRICS)[number];
export const GROUP_BY_KEYS = ["region", "product", "quarter", "month", "channel", "category"] as const;
export type GroupByKey = (typeof GROUP_BY_KEYS)[number];
export const ORDERS = ["asc", "desc"] as const;
export type SortOrder = (typeof ORDERS)[number];

export const MAX_LIMIT = 50;
export const DEFAULT_LIMIT = 10;
export const MAX_GROUP_BY = 2;
/** Hard cap on rows read from a statement, whatever its LIMIT says. */
export const MAX_ROWS = MAX_LIMIT;

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
  "year",
] as const;

// ---------------------------------------------------------------------------------------
// Normalisation: forgiving about spelling (case, spaces, "Q2" for "2025-Q2"), strict about
// meaning: anything that does not map onto an allowed value is an error listing them.

const key = (value: string) =>
  value
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, " ");

/** Quotes a value for an error message without echoing a whole essay back. */
function shown(value: unknown): string {
  const cut = (text: string) => (text.length > 60 ? `${text.slice(0, 60)}...` : text);
  if (typeof value === "string") return JSON.stringify(cut(value));
  return cut(JSON.stringify(value) ?? String(value));
}

function fail(ctx: z.RefinementCtx, value: unknown, message: string): never {
  ctx.addIssue({ code: "custom", input: value, message });
  return z.NEVER;
}

function stringOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}

function enumField<T extends string>(field: string, allowed: readonly T[], aliases: Record<string, NoInfer<T>> = {}, hint = "") {
  const lookup = new Map<string, T>();
  for (const value of allowed) lookup.set(key(value), value);
  for (const [alias, value] of Object.entries(aliases)) lookup.set(key(alias), value);
  return z.unknown().transform((value, ctx): T => {
    const text = stringOf(value);
    const found = text === undefined ? undefined : lookup.get(key(text));
    if (found) return found;
    return fail(ctx, value, `${field} ${shown(value)} is not allowed; use one of: ${allowed.join(", ")}${hint}`);
  });
}

const QUARTER_RE = /^(?:fy ?)?(?:(\d{4}) ?)?q([1-4])(?: ?(?:fy ?)?(\d{4}))?$/;

export function normaliseQuarter(value: string): Quarter | undefined {
  const match = QUARTER_RE.exec(key(value));
  if (!match) return undefined;
  const year = match[1] ?? match[3] ?? "2025";
  if (match[1] && match[3] && match[1] !== match[3]) return undefined;
  return QUARTERS.find((q) => q === `${year}-Q${match[2]}`);
}

const MONTH_NAMES = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

export function normaliseMonth(value: string): Month | undefined {
  const k = key(value).replace(/[.,/]/g, " ").replace(/ +/g, " ").trim();
  let year = "2025";
  let month: number | undefined;
  const numeric = /^(\d{4}) (\d{1,2})$/.exec(k);
  if (numeric) {
    year = numeric[1] ?? year;
    month = Number(numeric[2]);
  } else {
    const named = /^(?:(\d{4}) )?([a-z]+)(?: (\d{4}))?$/.exec(k);
    if (!named) return undefined;
    if (named[1] && named[3]) return undefined;
    year = named[1] ?? named[3] ?? year;
    const word = named[2] ?? "";
    const index = MONTH_NAMES.findIndex((name) => word.length >= 3 && name.startsWith(word));
    if (index < 0) return undefined;
    month = index + 1;
  }
  return MONTHS.find((m) => m === `${year}-${String(month).padStart(2, "0")}`);
}

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

/** Absent, `null` and `""` all mean "not given"; anything else must pass `inner`. */
const optional = <T>(inner: z.ZodType<T>) =>
  z
    .unknown()
    .transform((value, ctx): T | undefined => {
      if (value === undefined || value === null || value === "") return undefined;
      const parsed = inner.safeParse(value);
      if (parsed.success) return parsed.data;
      for (const issue of parsed.error.issues) ctx.addIssue({ code: "custom", input: value, message: issue.message });
      return z.NEVER;
    })
    .optional();

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
    order: q.order ?? ("desc" satisfies SortOrder),
    limit: q.limit ?? DEFAULT_LIMIT,
  }));

export type SalesQueryParams = z.output<typeof salesQueryParamsSchema>;

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
    return parsed.data;
  }
  const detail = parsed.error.issues
    .map((issue) => {
      const where = issue.path.length > 0 && !issue.message.startsWith(String(issue.path[0])) ? `${issue.path.join(".")}: ` : "";
      return `${where}${issue.message}`;
    })
    .join("; ");
  throw new AppError(
    "tool_input_invalid",
    `Invalid sales_query parameters: ${detail}. Allowed parameters: ${SALES_QUERY_PARAMS.filter((p) => p !== "year").join(", ")}`,
  );
}

/** Matches a product id ("ACME-R100", "r100") or name ("Roadrunner R100", or a unique start of one: "Anvil A1"). */
export function resolveProduct(products: readonly Product[], value: string): Product {
  const k = key(value);
  const exact = products.find(
    (p) => key(p.product_id) === k || key(p.product_name) === k || key(p.product_id.replace(/^ACME-/i, "")) === k,
  );
  if (exact) return exact;
  if (/^[a-z0-9 ]{3,}$/.test(k)) {
    const prefixed = products.filter((p) => `${key(p.product_name)} `.startsWith(`${k} `));
    if (prefixed.length === 1 && prefixed[0]) return prefixed[0];
    if (prefixed.length > 1) {
      const names = prefixed.map((p) => `${p.product_id} (${p.product_name})`).join(", ");
      throw new AppError("tool_input_invalid", `product ${shown(value)} matches several products; pick one of: ${names}`);
    }
  }
  const allowed = products.map((p) => `${p.product_id} (${p.product_name})`).join(", ");
  throw new AppError("tool_input_invalid", `product ${shown(value)} is not a known product; use one of: ${allowed}`);
}

// ---------------------------------------------------------------------------------------
// Compilation: the only strings that reach SQL text are the constants below.

const TABLE = "sales";

const METRIC_SQL: Record<Metric, { expr: string; column: string }> = {
  revenue: { expr: "SUM(revenue_usd)", column: "revenue_usd" },
  units: { expr: "SUM(units)", column: "units" },
  orders: { expr: "COUNT(*)", column: "orders" },
  avg_unit_price: { expr: "ROUND(CAST(SUM(revenue_usd) AS REAL) / SUM(units), 2)", column: "avg_unit_price_usd" },
};

const GROUP_SQL: Record<GroupByKey, { select: string[]; group: string[]; sort: string[] }> = {
  region: { select: ["region"], group: ["region"], sort: ["region"] },
  product: { select: ["product_id", "product_name AS product"], group: ["product_id", "product_name"], sort: ["product_id"] },
  quarter: { select: ["quarter"], group: ["quarter"], sort: ["quarter"] },
  month: { select: ["month"], group: ["month"], sort: ["month"] },
  channel: { select: ["channel"], group: ["channel"], sort: ["channel"] },
  category: { select: ["category"], group: ["category"], sort: ["category"] },
};

type FilterKey = "quarter" | "month" | "region" | "product" | "category" | "channel";
const FILTER_SQL: Record<FilterKey, string> = {
  quarter: "quarter = ?",
  month: "month = ?",
  region: "region = ?",
  product: "product_id = ?",
  category: "category = ?",
  channel: "channel = ?",
};
const ORDER_SQL: Record<SortOrder, string> = { asc: "ASC", desc: "DESC" };

export type SqlValue = string | number;

export interface CompiledSalesQuery {
  sql: string;
  params: SqlValue[];
}

export interface SalesQueryResult {
  rows: Record<string, SqlValue>[];
  sql: string;
  params: SqlValue[];
  rowCount: number;
}

/** Turns validated parameters into one parameterised SELECT. */
export function compileSalesQuery(query: SalesQueryParams, products: readonly Product[]): CompiledSalesQuery {
  const metric = METRIC_SQL[query.metric];
  const where: string[] = [];
  const params: SqlValue[] = [];
  const filters: [FilterKey, string | undefined][] = [
    ["quarter", query.quarter],
    ["month", query.month],
    ["region", query.region],
    ["product", query.product === undefined ? undefined : resolveProduct(products, query.product).product_id],
    ["category", query.category],
    ["channel", query.channel],
  ];
  for (const [filter, value] of filters) {
    if (value === undefined) continue;
    where.push(FILTER_SQL[filter]);
    params.push(value);
  }

  const groups = query.groupBy.map((g) => GROUP_SQL[g]);
  const select = [...groups.flatMap((g) => g.select), `${metric.expr} AS ${metric.column}`];
  const parts = [`SELECT ${select.join(", ")} FROM ${TABLE}`];
  if (where.length > 0) parts.push(`WHERE ${where.join(" AND ")}`);
  if (groups.length > 0) parts.push(`GROUP BY ${groups.flatMap((g) => g.group).join(", ")}`);
  // No matching rows gives no result row (instead of one row of NULLs).
  parts.push("HAVING COUNT(*) > 0");
  if (groups.length > 0) {
    const direction = ORDER_SQL[query.order];
    const tieBreak = groups.flatMap((g) => g.sort).map((column) => `${column} ASC`);
    parts.push(`ORDER BY ${[`${metric.expr} ${direction}`, ...tieBreak].join(", ")}`);
  }
  parts.push("LIMIT ?");
  params.push(Math.min(query.limit, MAX_LIMIT));
  return { sql: parts.join(" "), params };
}

function toSqlValue(value: unknown): SqlValue | undefined {
  if (typeof value === "number" || typeof value === "string") return value;
  if (typeof value === "bigint") return Number(value);
  return undefined;
}

/** Validates, compiles and runs a query against the read-only database. */
export function runSalesQuery(salesDb: SalesDb, input: unknown): SalesQueryResult {
  const query = parseSalesQueryParams(input);
  const { sql, params } = compileSalesQuery(query, salesDb.products);
  let statement;
  try {
    statement = salesDb.db.prepare(sql);
  } catch (error) {
    throw new AppError("tool_failed", `sales_query could not prepare its statement: ${(error as Error).message}`, { cause: error });
  }
  if (!statement.reader) throw new AppError("tool_failed", "sales_query compiled a statement that returns no rows");
  const rows: Record<string, SqlValue>[] = [];
  try {
    for (const raw of statement.iterate(...params)) {
      if (rows.length >= MAX_ROWS) break;
      const row: Record<string, SqlValue> = {};
      for (const [column, value] of Object.entries(raw as Record<string, unknown>)) {
        const v = toSqlValue(value);
        if (v !== undefined) row[column] = v;
      }
      rows.push(row);
    }
  } catch (error) {
    throw new AppError("tool_failed", `sales_query failed: ${(error as Error).message}`, { cause: error });
  }
  return { rows, sql, params, rowCount: rows.length };
}
