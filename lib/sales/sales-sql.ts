import type { Product } from "./sales-db";
import { MAX_LIMIT, type GroupByKey, type Metric, type SalesQueryParams, type SortOrder } from "./sales-query-params";
import { resolveProduct } from "./sales-value-matching";

/**
 * Compiles validated `sales_query` parameters to one parameterised SELECT. The only strings
 * that reach SQL text are the constants below (tables, columns, aggregate expressions, sort
 * direction); values only ever travel as bound `?` parameters.
 */

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
