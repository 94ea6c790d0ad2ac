import { AppError } from "../errors";
import type { SalesDb } from "./sales-db";
import { compileDerivedQuery } from "./sales-derived-sql";
import { MAX_LIMIT, parseSalesQueryParams, type SalesQueryParams } from "./sales-query-params";
import { compileSalesQuery, type CompiledSalesQuery, type SqlValue } from "./sales-sql";
import { resolveProduct } from "./sales-value-matching";

/**
 * `sales_query`: the model fills in structured parameters, never SQL. Parameters are
 * normalised and checked against allow-lists (`./sales-query-params`), then compiled to one
 * parameterised SELECT (`./sales-sql`, or `./sales-derived-sql` for a share, growth or average)
 * and run here on the read-only database.
 */

/** Hard cap on rows read from a statement, whatever its LIMIT says. */
const MAX_ROWS = MAX_LIMIT;

export interface SalesQueryResult {
  /** The parameters as the query read them (normalised, a product by its id, the derived figure resolved). */
  spec: SalesQueryParams;
  rows: Record<string, SqlValue>[];
  sql: string;
  params: SqlValue[];
  rowCount: number;
  /** Why there are no rows when the question cannot be answered from the data at all. */
  note?: string;
}

/** Growth against a year before FY2025: there is nothing to compare with, and no statement to run. */
const NO_EARLIER_YEAR =
  "No year-over-year figure: the sales table covers FY2025 only (2025-01 to 2025-12), so there is no earlier year to compare with.";

function toSqlValue(value: unknown): SqlValue | undefined {
  if (typeof value === "number" || typeof value === "string") return value;
  if (typeof value === "bigint") return Number(value);
  return undefined;
}

/** Validates, compiles and runs a query against the read-only database. */
export function runSalesQuery(salesDb: SalesDb, input: unknown): SalesQueryResult {
  const parsed = parseSalesQueryParams(input);
  // The spec says what was computed: the product by its id, and the year (the only one the data holds).
  const product = parsed.product === undefined ? {} : { product: resolveProduct(salesDb.products, parsed.product).product_id };
  const spec: SalesQueryParams = { ...parsed, ...product, year: 2025 };
  const { derived } = spec;
  if (derived?.measure === "growth" && "unavailable" in derived) {
    return { spec, rows: [], sql: "", params: [], rowCount: 0, note: NO_EARLIER_YEAR };
  }
  const { sql, params }: CompiledSalesQuery = derived
    ? compileDerivedQuery(spec, derived, salesDb.products)
    : compileSalesQuery(spec, salesDb.products);
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
  return { spec, rows, sql, params, rowCount: rows.length };
}
