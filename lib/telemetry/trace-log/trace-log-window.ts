import type Database from "better-sqlite3";
import { rowToStoredSpan, type StoredSpan } from "./span-record";
import { rowToAnnotation, rowToFeedback, type AnnotationRecord, type FeedbackRecord } from "./trace-log-records";

/**
 * Everything about the traces whose root started in a time range, in three queries instead of
 * three per trace: monitoring scans whole windows (minutes to days) at a time. The roots come
 * from the `spans_roots_by_start` index, the rest by trace id (the primary key and the
 * feedback/annotation indexes).
 */

export interface TraceWindow {
  spans: StoredSpan[];
  feedback: FeedbackRecord[];
  annotations: AnnotationRecord[];
}

const ROOTS_IN_RANGE = "SELECT trace_id FROM spans WHERE parent_span_id IS NULL AND start_time_ms >= @since AND start_time_ms < @until";

export function prepareTraceWindow(db: Database.Database): (since: number, until: number) => TraceWindow {
  const spans = db.prepare(`SELECT * FROM spans WHERE trace_id IN (${ROOTS_IN_RANGE}) ORDER BY trace_id, start_time_ms, span_id`);
  const feedback = db.prepare(`SELECT * FROM feedback WHERE trace_id IN (${ROOTS_IN_RANGE}) ORDER BY created_at_ms, id`);
  const annotations = db.prepare(`SELECT * FROM annotations WHERE trace_id IN (${ROOTS_IN_RANGE}) ORDER BY created_at_ms, id`);
  return (since, until) => {
    const range = { since, until };
    // One read transaction: the three reads see the same moment of the file.
    return db.transaction(() => ({
      spans: spans.all(range).map(rowToStoredSpan),
      feedback: feedback.all(range).map(rowToFeedback),
      annotations: annotations.all(range).map(rowToAnnotation),
    }))();
  };
}
