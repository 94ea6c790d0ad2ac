/**
 * The allow-listed names a sales query is made of: what it measures, what it groups by, how it
 * sorts. Their own module so the plain and the derived parameters (./sales-query-params.ts,
 * ./sales-derived-params.ts) share them without importing each other.
 */
export const METRICS = ["revenue", "units", "orders", "avg_unit_price"] as const;
export type Metric = (typeof METRICS)[number];
export const GROUP_BY_KEYS = ["region", "product", "quarter", "month", "channel", "category"] as const;
export type GroupByKey = (typeof GROUP_BY_KEYS)[number];
export const ORDERS = ["asc", "desc"] as const;
export type SortOrder = (typeof ORDERS)[number];

/** A result row as the answer reads it: column name → value. */
export type SalesRow = Record<string, string | number>;
