import type { AppConfig } from "../../config";
import { getPool } from "../../postgres/pool";
import { PgTraceLog } from "./pg-trace-log";
import { TraceLog } from "./trace-log";
import type { TraceStore } from "./trace-store";

/**
 * The trace log the app writes and its tools read, chosen by DATABASE_URL: unset, the SQLite
 * file at TRACE_LOG_PATH (one server); set, PostgreSQL, shared by every replica and CLI.
 */
export function openTraceStore(config: Pick<AppConfig, "database"> & { tracing: { log: { path: string } } }): TraceStore {
  if (!config.database) return new TraceLog(config.tracing.log.path);
  return new PgTraceLog(getPool(config.database), withoutPassword(config.database.url));
}

/** The URL as /api/health may show it to the admin: never the password. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    parsed.search = "";
    return parsed.toString();
  } catch {
    return "postgresql://(unparsable DATABASE_URL)";
  }
}
