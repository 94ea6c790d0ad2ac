import { AppError } from "../errors";
import type { SalesDb } from "./sales-db";
import { MAX_LIMIT, parseSalesQueryParams } from "./sales-query-params";
import { compileSalesQuery, type SqlValue } from "./sales-sql";

/**
 * `sales_query`: the model fills in structured parameters, never SQL. Parameters are
 * normalised and checked against allow-lists (`./sales-query-params`), then compiled to one
 * parameterised SELECT (`./sales-sql`) and run here on the read-only database.
 */

/** Hard cap on rows read from a statement, whatever its LIMIT says. */
const MAX_ROWS = MAX_LIMIT;

export interface SalesQueryResult {
  rows: Record<string, SqlValue>[];
  sql: string;
  params: SqlValue[];
  rowCount: number;
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
