import type pg from "pg";
import { z } from "zod";
import { AppError } from "../errors";

/**
 * Append-only schema migrations per component (`sessions`, `trace_log`, ...) in one PostgreSQL
 * database, the counterpart of the trace log's `PRAGMA user_version`: `schema_versions` says how
 * many of a component's migrations have run. Each step runs in its own transaction with the
 * version bump, under one transaction-scoped advisory lock, so replicas starting
 * together against a fresh database never run the same migration twice, and a failed step
 * leaves the previous version rather than half a change. Never edit a shipped migration: add one.
 */

const versionRowSchema = z.object({ version: z.number().int().min(0) });

const CREATE_VERSIONS = `CREATE TABLE IF NOT EXISTS schema_versions (
  component TEXT PRIMARY KEY,
  version INTEGER NOT NULL
)`;

async function currentVersion(client: pg.PoolClient, component: string): Promise<number> {
  const { rows } = await client.query("SELECT version FROM schema_versions WHERE component = $1", [component]);
  return rows[0] === undefined ? 0 : versionRowSchema.parse(rows[0]).version;
}

/** Brings `component` to `migrations.length`; throws when the database is ahead of this build. */
export async function migrateSchema(pool: pg.Pool, component: string, migrations: readonly string[]): Promise<void> {
  const client = await pool.connect();
  try {
    for (;;) {
      await client.query("BEGIN");
      try {
        // One lock for every component: two creating schema_versions at once would collide too.
        await client.query("SELECT pg_advisory_xact_lock(hashtext('schema_versions'))");
        await client.query(CREATE_VERSIONS);
        const found = await currentVersion(client, component);
        if (found > migrations.length) {
          throw new AppError(
            "database_unavailable",
            `the database has ${component} schema version ${found}; this build understands up to ${migrations.length}. Use a newer build or another database.`,
          );
        }
        const sql = migrations[found];
        if (sql === undefined) {
          await client.query("COMMIT");
          return;
        }
        await client.query(sql);
        await client.query(
          `INSERT INTO schema_versions (component, version) VALUES ($1, $2)
           ON CONFLICT (component) DO UPDATE SET version = EXCLUDED.version`,
          [component, found + 1],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      }
    }
  } finally {
    client.release();
  }
}
