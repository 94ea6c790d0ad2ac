import type pg from "pg";
import { z } from "zod";
import { inTransaction } from "@/lib/postgres/transaction";
import type { PruneBatch, PruneLimits } from "./trace-log-pruning";

/**
 * One batch of pruning in PostgreSQL: whole traces older than the retention (oldest first, at
 * most `limit`, with their feedback and annotations) and old spans whose root never arrived,
 * in one short transaction. Replicas prune on their own timers; a transaction-scoped advisory
 * lock lets one of them at a time do it and the others skip (their batch is empty, `more` false).
 * The size cap is the SQLite file's (see pg-trace-log.ts): here only the age counts.
 */

const DAY_MS = 86_400_000;
const traceIdRows = z.array(z.object({ trace_id: z.string() }));

export function pgPruneBatch(pool: pg.Pool, limits: PruneLimits, options: { limit: number; now: number }): Promise<PruneBatch> {
  const none: PruneBatch = { traces: 0, spans: 0, feedback: 0, annotations: 0, more: false };
  if (limits.retentionDays <= 0) return Promise.resolve(none);
  const cutoff = options.now - limits.retentionDays * DAY_MS;
  return inTransaction(pool, async (db) => {
    const { rows: lock } = await db.query("SELECT pg_try_advisory_xact_lock(hashtext('trace_log:prune')) AS got");
    if (!z.object({ got: z.boolean() }).parse(lock[0]).got) return none;
    const { rows } = await db.query(
      "SELECT trace_id FROM trace_log.spans WHERE parent_span_id IS NULL AND start_time_ms < $1 ORDER BY start_time_ms LIMIT $2",
      [cutoff, options.limit],
    );
    const ids = traceIdRows.parse(rows).map((r) => r.trace_id);
    const deleted = async (table: string) =>
      ids.length === 0 ? 0 : ((await db.query(`DELETE FROM trace_log.${table} WHERE trace_id = ANY($1::text[])`, [ids])).rowCount ?? 0);
    // Spans that old whose root never arrived (a crash mid-request).
    const orphans = await db.query(
      `DELETE FROM trace_log.spans s WHERE start_time_ms < $1
         AND NOT EXISTS (SELECT 1 FROM trace_log.spans r WHERE r.trace_id = s.trace_id AND r.parent_span_id IS NULL)`,
      [cutoff],
    );
    const feedback = await deleted("feedback");
    const annotations = await deleted("annotations");
    const spans = (await deleted("spans")) + (orphans.rowCount ?? 0);
    return { traces: ids.length, spans, feedback, annotations, more: ids.length === options.limit };
  });
}
