import { z } from "zod";
import { intInRange, optionalString } from "../validation/env-values";
import { parseEnv } from "../validation/parse-env";

/** The scale-out switch (DESIGN.md "Scale-out"): with DATABASE_URL set, shared state lives in PostgreSQL. */
export interface DatabaseConfig {
  /** A postgres:// or postgresql:// URL (`npm run db` prints one). */
  url: string;
  /** Connections one app process keeps at most. */
  poolMax: number;
  /** How long a query waits for a connection, and a new connection for the server. */
  connectTimeoutMs: number;
}

export interface DatabaseConfigSlice {
  /** Absent unless DATABASE_URL is set: then the embedded defaults (SQLite, in-process HNSW, memory) serve. */
  database?: DatabaseConfig;
}

const databaseUrl = optionalString.refine((value) => value === undefined || /^postgres(ql)?:\/\/[^\s]+$/.test(value), {
  message: "must be a postgresql:// URL (npm run db prints one)",
});

const databaseEnvSchema = z.object({
  DATABASE_URL: databaseUrl,
  DATABASE_POOL_MAX: intInRange(1, 1_000, 10),
  DATABASE_CONNECT_TIMEOUT_MS: intInRange(100, 600_000, 5_000),
});

/** Called by loadConfig only: the environment is read in one place. */
export function databaseConfig(env: Record<string, string | undefined>): DatabaseConfigSlice {
  const [e] = parseEnv(env, databaseEnvSchema);
  if (e.DATABASE_URL === undefined) return {};
  return { database: { url: e.DATABASE_URL, poolMax: e.DATABASE_POOL_MAX, connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS } };
}
