import type Database from "better-sqlite3";
import { z } from "zod";

/** What the trace log keeps: traces younger than `retentionDays` (0: any age), in at most `maxBytes` (0: no cap). */
export interface PruneLimits {
  retentionDays: number;
  maxBytes: number;
}

export interface PruneResult {
  traces: number;
  spans: number;
  feedback: number;
  annotations: number;
}

export interface PruneBatch extends PruneResult {
  /** Another batch has work to do (more old traces, or still over the size cap). */
  more: boolean;
}

const DAY_MS = 86_400_000;
const traceIdsSchema = z.array(z.string());

/**
 * Pruning one batch at a time: each batch is a short transaction over at most `limit` whole
 * traces (oldest first, with their feedback and annotations), so a large backlog never holds
 * the event loop or the write lock for long. Traces older than the retention go first; then,
 * while the file's live pages exceed the size cap, the oldest traces of any age.
 */
export function prepareTraceLogPruning(db: Database.Database) {
  const ofTraces = (table: string) => db.prepare(`DELETE FROM ${table} WHERE trace_id IN (SELECT value FROM json_each(@ids))`);
  return {
    olderThan: db
      .prepare(`SELECT trace_id FROM spans WHERE parent_span_id IS NULL AND start_time_ms < @cutoff ORDER BY start_time_ms LIMIT @limit`)
      .pluck(),
    oldest: db.prepare(`SELECT trace_id FROM spans WHERE parent_span_id IS NULL ORDER BY start_time_ms LIMIT @limit`).pluck(),
    deleteFeedback: ofTraces("feedback"),
    deleteAnnotations: ofTraces("annotations"),
    deleteSpans: ofTraces("spans"),
    // Spans that old whose root never arrived (a crash mid-request).
    deleteOrphans: db.prepare(
      `DELETE FROM spans WHERE start_time_ms < @cutoff
         AND trace_id NOT IN (SELECT trace_id FROM spans WHERE parent_span_id IS NULL)`,
    ),
  };
}

type PruningStatements = ReturnType<typeof prepareTraceLogPruning>;

/** Bytes in use by the database's pages (free pages are reused, so they do not count against the cap). */
export function liveBytes(db: Database.Database): number {
  const pragma = (name: string) => Number(db.pragma(name, { simple: true }));
  return (pragma("page_count") - pragma("freelist_count")) * pragma("page_size");
}

export function pruneBatch(
  db: Database.Database,
  s: PruningStatements,
  limits: PruneLimits,
  options: { limit: number; now: number },
): PruneBatch {
  const cutoff = options.now - limits.retentionDays * DAY_MS;
  const overCap = () => limits.maxBytes > 0 && liveBytes(db) > limits.maxBytes;
  let ids = limits.retentionDays > 0 ? traceIdsSchema.parse(s.olderThan.all({ cutoff, limit: options.limit })) : [];
  if (ids.length === 0 && overCap()) ids = traceIdsSchema.parse(s.oldest.all({ limit: options.limit }));
  const result = db.transaction((): PruneResult => {
    const json = JSON.stringify(ids);
    const orphans = limits.retentionDays > 0 ? s.deleteOrphans.run({ cutoff }).changes : 0;
    if (ids.length === 0) return { traces: 0, spans: orphans, feedback: 0, annotations: 0 };
    return {
      traces: ids.length,
      feedback: s.deleteFeedback.run({ ids: json }).changes,
      annotations: s.deleteAnnotations.run({ ids: json }).changes,
      spans: s.deleteSpans.run({ ids: json }).changes + orphans,
    };
  })();
  return { ...result, more: ids.length > 0 && (ids.length === options.limit || overCap()) };
}
