import type { Product } from "./sales-db";
import type { DerivedSpec, Period } from "./sales-derived-params";
import type { GroupByKey } from "./sales-dimensions";
import { MAX_LIMIT, type SalesQueryParams } from "./sales-query-params";
import {
  FILTER_SQL,
  GROUP_SQL,
  METRIC_COLUMN,
  ORDER_SQL,
  TABLE,
  filtersOf,
  metricSql,
  tieBreak,
  whereSql,
  type CompiledSalesQuery,
  type FilterKey,
  type SqlValue,
} from "./sales-sql";

/**
 * Derived figures as one parameterised SELECT each, built from the same constant pieces as the
 * plain query (./sales-sql): the figure is computed by SQLite next to the figures it comes
 * from, so a result row carries both (a share with its part and total, growth with both
 * periods and the change). Values travel only as bound `?` parameters.
 */

type Computable = Exclude<DerivedSpec, { unavailable: string }>;

/** A conditional metric's parameters: its condition's value once per `?` the expression holds. */
const bindEach = (sql: string, value: SqlValue): SqlValue[] => (sql.match(/\?/g) ?? []).map(() => value);

function groupParts(groupBy: GroupByKey[]) {
  const groups = groupBy.map((g) => GROUP_SQL[g]);
  return {
    select: groups.flatMap((g) => g.select),
    groupBy: groups.length > 0 ? `GROUP BY ${groups.flatMap((g) => g.group).join(", ")}` : "",
    columns: groups.flatMap((g) => g.columns),
  };
}

const limitOf = (query: SalesQueryParams) => Math.min(query.limit, MAX_LIMIT);
const join = (parts: string[]) => parts.filter((p) => p !== "").join(" ");

/** One part's share of the whole: the whole is the same filters without the part's. */
function sharePart(query: SalesQueryParams, part: FilterKey, products: readonly Product[]): CompiledSalesQuery {
  const filters = filtersOf(query, products);
  const value = filters.find(([k]) => k === part)?.[1] ?? "";
  const where = whereSql(filters.filter(([k]) => k !== part));
  const column = METRIC_COLUMN[query.metric];
  const partSql = metricSql(query.metric, FILTER_SQL[part]);
  const inner = join([`SELECT ${partSql} AS part, ${metricSql(query.metric)} AS total FROM ${TABLE}`, where.sql, "HAVING COUNT(*) > 0"]);
  return {
    sql: `SELECT part AS ${column}, total AS total_${column}, ROUND(100.0 * part / total, 1) AS share_pct FROM (${inner})`,
    params: [...bindEach(partSql, value), ...where.params],
  };
}

/** Each group's share of all the groups together (before the limit cuts the list). */
function shareOfGroups(query: SalesQueryParams, products: readonly Product[]): CompiledSalesQuery {
  const groups = groupParts(query.groupBy);
  const where = whereSql(filtersOf(query, products));
  const column = METRIC_COLUMN[query.metric];
  const metric = metricSql(query.metric);
  const select = [
    ...groups.select,
    `${metric} AS ${column}`,
    `SUM(${metric}) OVER () AS total_${column}`,
    `ROUND(100.0 * ${metric} / SUM(${metric}) OVER (), 1) AS share_pct`,
  ];
  const order = `ORDER BY ${[`${metric} ${ORDER_SQL[query.order ?? "desc"]}`, ...tieBreak(query.groupBy)].join(", ")}`;
  return {
    sql: join([`SELECT ${select.join(", ")} FROM ${TABLE}`, where.sql, groups.groupBy, "HAVING COUNT(*) > 0", order, "LIMIT ?"]),
    params: [...where.params, limitOf(query)],
  };
}

/** `from` → `to` (per group when grouped): both figures, the change and the growth in per cent. */
function growthBetween(
  query: SalesQueryParams,
  period: "quarter" | "month",
  from: Period,
  to: Period,
  products: readonly Product[],
): CompiledSalesQuery {
  const groups = groupParts(query.groupBy);
  // The two periods replace the time filters: a month comparison is not also cut to one quarter.
  const scope = filtersOf(query, products).filter(([k]) => k !== "quarter" && k !== "month");
  const where = whereSql(scope, [{ sql: `${period} IN (?, ?)`, params: [from, to] }]);
  const column = METRIC_COLUMN[query.metric];
  const figure = metricSql(query.metric, `${period} = ?`);
  const inner = join([
    `SELECT ${[...groups.select, `${figure} AS a`, `${figure} AS b`].join(", ")} FROM ${TABLE}`,
    where.sql,
    groups.groupBy,
    "HAVING COUNT(*) > 0",
  ]);
  const select = [
    ...groups.columns,
    `a AS from_${column}`,
    `b AS to_${column}`,
    `ROUND(b - a, 2) AS change_${column}`,
    "ROUND(100.0 * (b - a) / a, 1) AS growth_pct",
  ];
  const order =
    groups.columns.length > 0
      ? `ORDER BY ${["growth_pct IS NULL", `growth_pct ${ORDER_SQL[query.order ?? "desc"]}`, ...tieBreak(query.groupBy)].join(", ")}`
      : "";
  return {
    sql: join([`SELECT ${select.join(", ")} FROM (${inner})`, order, "LIMIT ?"]),
    params: [...bindEach(figure, from), ...bindEach(figure, to), ...where.params, limitOf(query)],
  };
}

/** Each period against the one before it, in order of time unless an order was asked for. */
function growthSeries(query: SalesQueryParams, period: "quarter" | "month", products: readonly Product[]): CompiledSalesQuery {
  const where = whereSql(filtersOf(query, products));
  const column = METRIC_COLUMN[query.metric];
  const inner = join([
    `SELECT ${period}, ${metricSql(query.metric)} AS m FROM ${TABLE}`,
    where.sql,
    `GROUP BY ${period}`,
    "HAVING COUNT(*) > 0",
  ]);
  const lag = `LAG(m) OVER (ORDER BY ${period})`;
  const select = [
    period,
    `m AS ${column}`,
    `${lag} AS previous_${column}`,
    `ROUND(m - ${lag}, 2) AS change_${column}`,
    `ROUND(100.0 * (m - ${lag}) / ${lag}, 1) AS growth_pct`,
  ];
  const order = query.order ? ["growth_pct IS NULL", `growth_pct ${ORDER_SQL[query.order]}`, `${period} ASC`] : [`${period} ASC`];
  return {
    sql: join([`SELECT ${select.join(", ")} FROM (${inner})`, `ORDER BY ${order.join(", ")}`, "LIMIT ?"]),
    params: [...where.params, limitOf(query)],
  };
}

/** The total spread evenly over the months (or quarters) in scope, a month without sales counting as zero. */
function averagePer(query: SalesQueryParams, per: "month" | "quarter", periods: number, products: readonly Product[]): CompiledSalesQuery {
  const groups = groupParts(query.groupBy);
  const where = whereSql(filtersOf(query, products));
  const column = METRIC_COLUMN[query.metric];
  const metric = metricSql(query.metric);
  const select = [
    ...groups.select,
    `${metric} AS ${column}`,
    `? AS ${per}s`,
    `ROUND(CAST(${metric} AS REAL) / ?, 2) AS ${column}_per_${per}`,
  ];
  const order =
    groups.columns.length > 0 ? `ORDER BY ${[`${metric} ${ORDER_SQL[query.order ?? "desc"]}`, ...tieBreak(query.groupBy)].join(", ")}` : "";
  return {
    sql: join([`SELECT ${select.join(", ")} FROM ${TABLE}`, where.sql, groups.groupBy, "HAVING COUNT(*) > 0", order, "LIMIT ?"]),
    params: [periods, periods, ...where.params, limitOf(query)],
  };
}

/** Revenue per unit sold, with the revenue and the units it is computed from. */
function revenuePerUnit(query: SalesQueryParams, products: readonly Product[]): CompiledSalesQuery {
  const groups = groupParts(query.groupBy);
  const where = whereSql(filtersOf(query, products));
  const ratio = metricSql("avg_unit_price");
  const select = [...groups.select, "SUM(revenue_usd) AS revenue_usd", "SUM(units) AS units", `${ratio} AS revenue_usd_per_unit`];
  const order =
    groups.columns.length > 0 ? `ORDER BY ${[`${ratio} ${ORDER_SQL[query.order ?? "desc"]}`, ...tieBreak(query.groupBy)].join(", ")}` : "";
  return {
    sql: join([`SELECT ${select.join(", ")} FROM ${TABLE}`, where.sql, groups.groupBy, "HAVING COUNT(*) > 0", order, "LIMIT ?"]),
    params: [...where.params, limitOf(query)],
  };
}

/** The SELECT computing `derived` for `query`. */
export function compileDerivedQuery(query: SalesQueryParams, derived: Computable, products: readonly Product[]): CompiledSalesQuery {
  switch (derived.measure) {
    case "share":
      return derived.part ? sharePart(query, derived.part, products) : shareOfGroups(query, products);
    case "growth":
      return derived.from && derived.to
        ? growthBetween(query, derived.period, derived.from, derived.to, products)
        : growthSeries(query, derived.period, products);
    case "average":
      return derived.per === "unit" ? revenuePerUnit(query, products) : averagePer(query, derived.per, derived.periods, products);
  }
}
