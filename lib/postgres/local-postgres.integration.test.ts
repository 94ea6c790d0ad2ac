import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startThrowawayPostgres } from "@/test-support/postgres/throwaway-postgres";
import { AppError } from "../errors";
import { acceptsConnections, type LocalPostgres } from "./local-postgres";
import { closePools, createPool, databaseError, getPool } from "./pool";

// A real PostgreSQL from the project's venv (built here if missing, as `npm run db` builds it).
const root = path.resolve(__dirname, "..", "..");
let db: LocalPostgres;

beforeAll(async () => {
  const started = Date.now();
  db = await startThrowawayPostgres(root);
  console.log(`[postgres] venv checked, cluster initialised and started in ${Date.now() - started} ms at ${db.url}`);
});
afterAll(async () => {
  await closePools();
  await db?.stop();
});

const config = (url: string) => ({ url, poolMax: 4, connectTimeoutMs: 2_000 });

describe("a local PostgreSQL", () => {
  it("has the vector extension installed in the database the URL names", async () => {
    const pool = getPool(config(db.url));
    const { rows } = await pool.query<{ extversion: string }>("SELECT extversion FROM pg_extension WHERE extname = 'vector'");
    expect(rows[0]?.extversion).toMatch(/^0\.\d+\.\d+$/);
    // Real-sized vectors through an HNSW build and search: a pgvector built for a newer CPU dies here (SIGILL).
    await pool.query("CREATE TABLE t (id int PRIMARY KEY, v vector(384))");
    await pool.query(
      "INSERT INTO t SELECT g, (SELECT array_agg(sin(g * 7 + i))::vector FROM generate_series(1, 384) i) FROM generate_series(1, 500) g",
    );
    await pool.query("CREATE INDEX ON t USING hnsw (v vector_cosine_ops)");
    const { rows: nearest } = await pool.query<{ id: number }>("SELECT id FROM t ORDER BY v <=> (SELECT v FROM t WHERE id = 42) LIMIT 1");
    expect(nearest[0]?.id).toBe(42);
  });

  it("shares one pool per URL until the pools are closed", async () => {
    expect(getPool(config(db.url))).toBe(getPool(config(db.url)));
    const before = getPool(config(db.url));
    await closePools();
    expect(getPool(config(db.url))).not.toBe(before);
  });

  it("turns a refused connection into database_unavailable", async () => {
    const pool = createPool(config(db.url.replace(`:${db.port}/`, ":1/")));
    const error = await pool.query("SELECT 1").then(
      () => undefined,
      (e: unknown) => databaseError(e, "probe"),
    );
    await pool.end();
    expect(error).toBeInstanceOf(AppError);
    expect(error?.code).toBe("database_unavailable");
  });

  it("stops and frees the port", async () => {
    const other = await startThrowawayPostgres(root, "other");
    expect(await acceptsConnections(other.url)).toBe(true);
    await other.stop();
    expect(await acceptsConnections(other.url)).toBe(false);
    expect(other.process.running()).toBe(false);
  });
});
