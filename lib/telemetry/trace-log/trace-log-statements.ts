import type Database from "better-sqlite3";
import { SPAN_COLUMNS, type SpanRowParams } from "./span-record";

/**
 * The trace log's SQL, prepared once per connection. Values are always bound
 * parameters (`?` or `@name`); the only text spliced into SQL is the fixed column list.
 * Pruning's statements are in trace-log-pruning.ts.
 */

const INSERT_SPAN_SQL = `INSERT OR REPLACE INTO spans (${SPAN_COLUMNS.join(", ")})
  VALUES (${SPAN_COLUMNS.map((column) => `@${column}`).join(", ")})`;

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
    counts: db.prepare(
      `SELECT (SELECT COUNT(*) FROM spans WHERE parent_span_id IS NULL) AS traces,
              (SELECT COUNT(*) FROM spans) AS spans,
              (SELECT COUNT(*) FROM feedback) AS feedback,
              (SELECT COUNT(*) FROM annotations) AS annotations`,
    ),
  };
}

export type TraceLogStatements = ReturnType<typeof prepareStatements>;
