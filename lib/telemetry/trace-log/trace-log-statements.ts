import type Database from "better-sqlite3";
import { SPAN_COLUMNS, type SpanRowParams } from "./span-record";

/**
 * The trace log's SQL, prepared once per connection. Values are always bound
 * parameters (`?` or `@name`); the only text spliced into SQL is the fixed column list
 * and the fixed sub-select below.
 */

const INSERT_SPAN_SQL = `INSERT OR REPLACE INTO spans (${SPAN_COLUMNS.join(", ")})
  VALUES (${SPAN_COLUMNS.map((column) => `@${column}`).join(", ")})`;

/** Trace ids whose root started before the cutoff: the unit that pruning removes. */
const OLD_TRACES_SQL = `SELECT trace_id FROM spans WHERE parent_span_id IS NULL AND start_time_ms < @cutoff`;

export function prepareStatements(db: Database.Database) {
  return {
    insertSpan: db.prepare<SpanRowParams>(INSERT_SPAN_SQL),
    rootSpan: db.prepare<[string]>("SELECT * FROM spans WHERE trace_id = ? AND parent_span_id IS NULL ORDER BY start_time_ms LIMIT 1"),
    rootSpanId: db
      .prepare<[string]>("SELECT span_id FROM spans WHERE trace_id = ? AND parent_span_id IS NULL ORDER BY start_time_ms LIMIT 1")
      .pluck(),
    spanExists: db.prepare<[string, string]>("SELECT 1 FROM spans WHERE trace_id = ? AND span_id = ?"),
    traceSpans: db.prepare<[string]>("SELECT * FROM spans WHERE trace_id = ? ORDER BY start_time_ms, span_id"),
    insertFeedback: db.prepare(
      `INSERT INTO feedback (trace_id, span_id, score, comment, source, created_at_ms)
       VALUES (@trace_id, @span_id, @score, @comment, @source, @created_at_ms)`,
    ),
    feedbackFor: db.prepare<[string]>("SELECT * FROM feedback WHERE trace_id = ? ORDER BY created_at_ms, id"),
    insertAnnotation: db.prepare(
      `INSERT INTO annotations
         (trace_id, span_id, name, annotator_kind, label, score, explanation, metadata, run_id, created_at_ms)
       VALUES (@trace_id, @span_id, @name, @annotator_kind, @label, @score, @explanation, @metadata, @run_id, @created_at_ms)`,
    ),
    annotationsFor: db.prepare<[string]>("SELECT * FROM annotations WHERE trace_id = ? ORDER BY created_at_ms, id"),
    countOldTraces: db.prepare(`SELECT COUNT(DISTINCT trace_id) FROM (${OLD_TRACES_SQL})`).pluck(),
    deleteOldFeedback: db.prepare(`DELETE FROM feedback WHERE trace_id IN (${OLD_TRACES_SQL})`),
    deleteOldAnnotations: db.prepare(`DELETE FROM annotations WHERE trace_id IN (${OLD_TRACES_SQL})`),
    deleteOldSpans: db.prepare(`DELETE FROM spans WHERE trace_id IN (${OLD_TRACES_SQL})`),
    deleteOldOrphanSpans: db.prepare(
      `DELETE FROM spans WHERE start_time_ms < @cutoff
         AND trace_id NOT IN (SELECT trace_id FROM spans WHERE parent_span_id IS NULL)`,
    ),
    counts: db.prepare(
      `SELECT (SELECT COUNT(*) FROM spans WHERE parent_span_id IS NULL) AS traces,
              (SELECT COUNT(*) FROM spans) AS spans,
              (SELECT COUNT(*) FROM feedback) AS feedback,
              (SELECT COUNT(*) FROM annotations) AS annotations`,
    ),
  };
}

export type TraceLogStatements = ReturnType<typeof prepareStatements>;
