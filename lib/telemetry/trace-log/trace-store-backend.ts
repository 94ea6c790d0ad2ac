import fs from "node:fs";
import path from "node:path";
import type { AppConfig } from "../../config";
import { AppError } from "../../errors";
import { closePools, getPool } from "../../postgres/pool";
import { withoutPassword } from "../../postgres/redacted-url";
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

/**
 * The trace log a CLI reads (curate, alerts, compare): an explicit `--trace-log` file, else
 * PostgreSQL with DATABASE_URL, else TRACE_LOG_PATH. A file must exist: opening a missing path
 * would create an empty log, so the error says what is wrong instead. `close` ends the pool too.
 */
export function openTraceStoreForCli(
  config: Pick<AppConfig, "database"> & { tracing: { log: { path: string } } },
  explicitFile: string | undefined,
): { store: TraceStore; where: string; close: () => Promise<void> } {
  if (explicitFile === undefined && config.database) {
    const store = openTraceStore(config);
    return { store, where: store.location, close: () => closePools() };
  }
  const file = path.resolve(explicitFile ?? config.tracing.log.path);
  if (!fs.existsSync(file)) throw new AppError("trace_log_failed", `no trace log at ${file} (TRACE_LOG_PATH, --trace-log or DATABASE_URL)`);
  const store = new TraceLog(file);
  return { store, where: file, close: () => Promise.resolve(store.close()) };
}
