import pg from "pg";
import { AppError } from "../errors";
import type { DatabaseConfig } from "./database-env";

/**
 * One `pg` Pool per process and DATABASE_URL, shared by every PostgreSQL-backed store (vectors,
 * sessions, trace log). Idle pools never keep a process alive (allowExitOnIdle), and they are
 * ended when the event loop drains; CLIs call closePools() when done. No signal handler is
 * installed here: one would stop SIGINT/SIGTERM from ending the process (Next.js owns those).
 */
const pools = new Map<string, pg.Pool>();
let shutdownHooked = false;

function hookShutdown(): void {
  if (shutdownHooked) return;
  shutdownHooked = true;
  process.once("beforeExit", () => void closePools());
}

/** The process's pool for `config.url` (created on first use). */
export function getPool(config: DatabaseConfig): pg.Pool {
  let pool = pools.get(config.url);
  if (!pool) {
    pool = createPool(config);
    pools.set(config.url, pool);
    hookShutdown();
  }
  return pool;
}

/** A pool the caller owns and ends (tests, CLIs with their own lifetime). */
export function createPool(config: DatabaseConfig): pg.Pool {
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolMax,
    connectionTimeoutMillis: config.connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    allowExitOnIdle: true,
  });
  // An idle client whose server went away emits here; without a listener that error would crash the process.
  pool.on("error", (error) => console.warn(`[postgres] idle connection lost: ${error.message}`));
  return pool;
}

/** Ends every shared pool; later getPool calls open new ones. */
export async function closePools(): Promise<void> {
  const open = [...pools.values()];
  pools.clear();
  await Promise.all(open.map((pool) => pool.end().catch(() => {})));
}

/** Wraps a driver error (refused, timed out, authentication) into an error the user can act on. */
export function databaseError(error: unknown, what: string): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AppError("database_unavailable", `${what}: ${message} (is DATABASE_URL right and the server up? \`npm run db\` starts one)`, {
    cause: error,
  });
}
