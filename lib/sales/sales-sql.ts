import type { Product } from "./sales-db";
import type { GroupByKey, Metric, SortOrder } from "./sales-dimensions";
import { MAX_LIMIT, type SalesQueryParams } from "./sales-query-params";
import { resolveProduct } from "./sales-value-matching";

/**
 * Compiles validated `sales_query` parameters to one parameterised SELECT. The only strings
 * that reach SQL text are the constants below (tables, columns, aggregate expressions, sort
 * direction); values only ever travel as bound `?` parameters. Derived figures (shares,
 * growth, averages per period) are compiled by ./sales-derived-sql from the same pieces.
 */

export const TABLE = "sales";

/** The result column each metric is returned in. */
export const METRIC_COLUMN: Record<Metric, string> = {
  revenue: "revenue_usd",
  units: "units",
  orders: "orders",
  avg_unit_price: "avg_unit_price_usd",
};

/**
 * The metric's aggregate over the group's rows or, with `when` (a condition with one `?`),
 * over those matching it only: growth reads two periods, a share its part, in one pass.
 */
export function metricSql(metric: Metric, when?: string): string {
  const value = (column: string) => (when ? `CASE WHEN ${when} THEN ${column} END` : column);
  const sum = (column: string) => (when ? `COALESCE(SUM(${value(column)}), 0)` : `SUM(${column})`);
  switch (metric) {
    case "revenue":
      return sum("revenue_usd");
    case "units":
      return sum("units");
    case "orders":
      return when ? `COUNT(${value("1")})` : "COUNT(*)";
    case "avg_unit_price":
      return `ROUND(CAST(SUM(${value("revenue_usd")}) AS REAL) / SUM(${value("units")}), 2)`;
  }
}

/** How a grouping is selected, grouped and tie-broken; `columns` are the names it comes out under. */
export const GROUP_SQL: Record<GroupByKey, { select: string[]; group: string[]; sort: string[]; columns: string[] }> = {
  region: { select: ["region"], group: ["region"], sort: ["region"], columns: ["region"] },
  product: {
    select: ["product_id", "product_name AS product"],
    group: ["product_id", "product_name"],
    sort: ["product_id"],
    columns: ["product_id", "product"],
  },
  quarter: { select: ["quarter"], group: ["quarter"], sort: ["quarter"], columns: ["quarter"] },
  month: { select: ["month"], group: ["month"], sort: ["month"], columns: ["month"] },
  channel: { select: ["channel"], group: ["channel"], sort: ["channel"], columns: ["channel"] },
  category: { select: ["category"], group: ["category"], sort: ["category"], columns: ["category"] },
};

export type FilterKey = "quarter" | "month" | "region" | "product" | "category" | "channel";
/** Each filter's condition, with one `?` for its value. */
export const FILTER_SQL: Record<FilterKey, string> = {
  quarter: "quarter = ?",
  month: "month = ?",
  region: "region = ?",
  product: "product_id = ?",
  category: "category = ?",
  channel: "channel = ?",
};
export const ORDER_SQL: Record<SortOrder, string> = { asc: "ASC", desc: "DESC" };

export type SqlValue = string | number;

export interface CompiledSalesQuery {
  sql: string;
  params: SqlValue[];
}

/** The query's filters as [key, value] (a product by its id), unset ones left out. */
export function filtersOf(query: SalesQueryParams, products: readonly Product[]): [FilterKey, string][] {
  const filters: [FilterKey, string | undefined][] = [
    ["quarter", query.quarter],
    ["month", query.month],
    ["region", query.region],
    ["product", query.product === undefined ? undefined : resolveProduct(products, query.product).product_id],
    ["category", query.category],
    ["channel", query.channel],
  ];
  return filters.flatMap(([k, v]) => (v === undefined ? [] : [[k, v] as [FilterKey, string]]));
}

/** `WHERE …` over the filters (and any extra conditions first), or "" when there are none. */
export function whereSql(filters: [FilterKey, string][], extra: CompiledSalesQuery[] = []): CompiledSalesQuery {
  const conditions = [...extra.map((e) => e.sql), ...filters.map(([k]) => FILTER_SQL[k])];
  const params = [...extra.flatMap((e) => e.params), ...filters.map(([, v]) => v)];
  return { sql: conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : "", params };
}

/** The groupings' ORDER BY tie-break: their key columns, ascending. */
export const tieBreak = (groups: GroupByKey[]) => groups.flatMap((g) => GROUP_SQL[g].sort).map((column) => `${column} ASC`);

/** Turns validated parameters into one parameterised SELECT. */
export function compileSalesQuery(query: SalesQueryParams, products: readonly Product[]): CompiledSalesQuery {
  const metric = { expr: metricSql(query.metric), column: METRIC_COLUMN[query.metric] };
  const where = whereSql(filtersOf(query, products));
  const params: SqlValue[] = [...where.params];

  const groups = query.groupBy.map((g) => GROUP_SQL[g]);
  const select = [...groups.flatMap((g) => g.select), `${metric.expr} AS ${metric.column}`];
  const parts = [`SELECT ${select.join(", ")} FROM ${TABLE}`];
  if (where.sql) parts.push(where.sql);
  if (groups.length > 0) parts.push(`GROUP BY ${groups.flatMap((g) => g.group).join(", ")}`);
  // No matching rows gives no result row (instead of one row of NULLs).
  parts.push("HAVING COUNT(*) > 0");
  if (groups.length > 0) {
    const direction = ORDER_SQL[query.order ?? "desc"];
    parts.push(`ORDER BY ${[`${metric.expr} ${direction}`, ...tieBreak(query.groupBy)].join(", ")}`);
  }
  parts.push("LIMIT ?");
  params.push(Math.min(query.limit, MAX_LIMIT));
  return { sql: parts.join(" "), params };
}
