import type pg from "pg";

/**
 * Runs `work` in one transaction on one pooled connection: COMMIT when it resolves, ROLLBACK
 * when it throws (the error goes on unchanged). `pg.Pool.query` would send each statement on
 * whichever connection is free, so anything that must be atomic or hold a row lock goes here.
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
  /** e.g. `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY` for reads that must see one moment. */
  begin = "BEGIN",
): Promise<T> {
  const client = await pool.connect();
  // A connection whose ROLLBACK failed is in an unknown state: the pool must drop it, not reuse it.
  let broken = false;
  try {
    await client.query(begin);
    try {
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => (broken = true));
      throw error;
    }
  } finally {
    client.release(broken);
  }
}
