import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { rowToStoredSpan, spanToRow, type SpanRowParams, type StoredSpan } from "./span-record";
import { prepareStatements, type TraceLogStatements } from "./trace-log-statements";
import { liveBytes, prepareTraceLogPruning, pruneBatch, type PruneBatch, type PruneLimits, type PruneResult } from "./trace-log-pruning";
import { migrateTraceLog } from "./trace-log-schema";
import { prepareAlertStateStore, type AlertStateStore } from "./alert-state-store";
import { prepareTraceWindow, type TraceWindow } from "./trace-log-window";
import type { TraceLogCounts, TraceStore } from "./trace-store";
import {
  annotationInputSchema,
  feedbackInputSchema,
  parseInput,
  rootSpanQuerySchema,
  rowToAnnotation,
  rowToFeedback,
  traceIdSchema,
  type AnnotationInput,
  type AnnotationRecord,
  type FeedbackInput,
  type FeedbackRecord,
  type RootSpanQuery,
} from "./trace-log-records";

/**
 * The app's own durable record of production traces: spans, user feedback and eval
 * annotations in one SQLite file. It is what the app's tools (curation, monitoring)
 * read when Phoenix is not running, so it must survive restarts and crashes: WAL with
 * `synchronous=NORMAL` keeps every committed batch across a process crash (a power cut
 * may lose the last few, which is acceptable for telemetry) while writers never block
 * readers. Every statement is parameterized; nothing a user typed is ever SQL. With
 * DATABASE_URL set, pg-trace-log.ts keeps the same log in PostgreSQL (trace-store.ts).
 */

// Small enough that one batch is a few milliseconds of SQLite work.
const PRUNE_BATCH_TRACES = 100;
const pruneLimitsSchema = z
  .object({
    retentionDays: z.number().min(0, "must be 0 (any age) or a positive number of days"),
    maxBytes: z.number().int().min(0, "must be 0 (no cap) or a positive number of bytes"),
  })
  .refine((l) => l.retentionDays > 0 || l.maxBytes > 0, "nothing to prune by: set a retention in days or a size cap");
const countSchema = z.number().int().min(0);
const countsRowSchema = z.object({
  traces: countSchema,
  spans: countSchema,
  feedback: countSchema,
  annotations: countSchema,
});

export class TraceLog implements TraceStore {
  private readonly db: Database.Database;
  private readonly statements: TraceLogStatements;
  private readonly pruning: ReturnType<typeof prepareTraceLogPruning>;
  private readonly window: (since: number, until: number) => TraceWindow;
  /** Alert rule state and its transitions (see alert-state-store.ts). */
  readonly alerts: AlertStateStore;

  /** Opens (creating it and its folder if needed) and migrates the log at `file`. */
  constructor(readonly file: string) {
    try {
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      this.db = new Database(file);
    } catch (error) {
      throw asTraceLogError(error, `cannot open the trace log at ${file}`);
    }
    try {
      this.db.pragma("journal_mode = WAL");
      this.db.pragma("synchronous = NORMAL");
      migrateTraceLog(this.db, file);
      this.statements = prepareStatements(this.db);
      this.pruning = prepareTraceLogPruning(this.db);
      this.window = prepareTraceWindow(this.db);
      this.alerts = prepareAlertStateStore(this.db, (what, work) => this.guard(what, work));
    } catch (error) {
      this.db.close();
      throw asTraceLogError(error, `cannot open the trace log at ${file}`);
    }
  }

  get location(): string {
    return this.file;
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  /** Writes a batch in one transaction; a span written twice (same ids) is replaced. */
  writeSpans(spans: readonly ReadableSpan[]): void {
    if (spans.length === 0) return;
    this.guard("write spans", () => {
      const rows = spans.map(spanToRow);
      this.db.transaction((batch: SpanRowParams[]) => {
        for (const row of batch) this.statements.insertSpan.run(row);
      })(rows);
    });
  }

  /** The trace's root span in this log, or undefined when it has not been written (yet). */
  rootSpan(traceId: string): StoredSpan | undefined {
    const id = parseInput(traceIdSchema, traceId, "bad_request");
    return this.guard("read a root span", () => {
      const row: unknown = this.statements.rootSpan.get(id);
      return row === undefined ? undefined : rowToStoredSpan(row);
    });
  }

  /** Every span of the trace, earliest first; empty when the trace is unknown. */
  trace(traceId: string): StoredSpan[] {
    const id = parseInput(traceIdSchema, traceId, "bad_request");
    return this.guard("read a trace", () => this.statements.traceSpans.all(id).map(rowToStoredSpan));
  }

  /** Root spans, newest first. */
  listRootSpans(query: RootSpanQuery = {}): StoredSpan[] {
    const { since, until, limit, sessionId } = parseInput(rootSpanQuerySchema, query, "bad_request");
    const conditions = ["parent_span_id IS NULL"];
    const params: Record<string, string | number> = { limit };
    if (since !== undefined) {
      conditions.push("start_time_ms >= @since");
      params.since = since;
    }
    if (until !== undefined) {
      conditions.push("start_time_ms < @until");
      params.until = until;
    }
    if (sessionId !== undefined) {
      // Any span of the trace may carry the session (often the agent span, not the root).
      conditions.push("trace_id IN (SELECT trace_id FROM spans WHERE session_id = @sessionId)");
      params.sessionId = sessionId;
    }
    // Only fixed fragments are joined into the SQL; every value is a bound parameter.
    const sql = `SELECT * FROM spans WHERE ${conditions.join(" AND ")} ORDER BY start_time_ms DESC LIMIT @limit`;
    return this.guard("list root spans", () => this.db.prepare(sql).all(params).map(rowToStoredSpan));
  }

  /** Spans, feedback and annotations of the traces whose root started in [since, until) (monitoring's window scans). */
  traceWindow(since: number, until: number): TraceWindow {
    return this.guard("read a time window", () => this.window(since, until));
  }

  /**
   * Records a user's verdict on a whole answer (the trace's root span). Throws
   * `trace_not_found` when the root is not in the log, writing nothing.
   */
  addFeedback(input: FeedbackInput): FeedbackRecord {
    const feedback = parseInput(feedbackInputSchema, input, "invalid_body");
    return this.guard("add feedback", () =>
      this.db.transaction(() => {
        const rootSpanId = this.rootSpanIdOf(feedback.traceId);
        const createdAtMs = Date.now();
        const { lastInsertRowid } = this.statements.insertFeedback.run({
          trace_id: feedback.traceId,
          span_id: rootSpanId,
          score: feedback.score,
          comment: feedback.comment,
          source: feedback.source,
          created_at_ms: createdAtMs,
        });
        return {
          id: Number(lastInsertRowid),
          traceId: feedback.traceId,
          spanId: rootSpanId,
          score: feedback.score,
          comment: feedback.comment,
          source: feedback.source,
          createdAtMs,
        };
      })(),
    );
  }

  /** Feedback on the trace, oldest first. */
  feedbackFor(traceId: string): FeedbackRecord[] {
    const id = parseInput(traceIdSchema, traceId, "bad_request");
    return this.guard("read feedback", () => this.statements.feedbackFor.all(id).map(rowToFeedback));
  }

  /**
   * Records an evaluation of a span (the root when `spanId` is left out). Throws
   * `trace_not_found` when that span is not in the log, writing nothing.
   */
  addAnnotation(input: AnnotationInput): AnnotationRecord {
    const annotation = parseInput(annotationInputSchema, input, "invalid_body");
    return this.guard("add an annotation", () =>
      this.db.transaction(() => {
        const spanId = annotation.spanId ?? this.rootSpanIdOf(annotation.traceId);
        if (annotation.spanId !== undefined && this.statements.spanExists.get(annotation.traceId, spanId) === undefined) {
          throw new AppError("trace_not_found", `span ${spanId} of trace ${annotation.traceId} is not in the trace log`);
        }
        const record = {
          traceId: annotation.traceId,
          spanId,
          name: annotation.name,
          annotatorKind: annotation.annotatorKind,
          label: annotation.label ?? null,
          score: annotation.score ?? null,
          explanation: annotation.explanation ?? null,
          metadata: annotation.metadata,
          runId: annotation.runId ?? null,
          createdAtMs: Date.now(),
        };
        const { lastInsertRowid } = this.statements.insertAnnotation.run({
          trace_id: record.traceId,
          span_id: record.spanId,
          name: record.name,
          annotator_kind: record.annotatorKind,
          label: record.label,
          score: record.score,
          explanation: record.explanation,
          metadata: JSON.stringify(record.metadata),
          run_id: record.runId,
          created_at_ms: record.createdAtMs,
        });
        return { id: Number(lastInsertRowid), ...record };
      })(),
    );
  }

  /** Annotations of any span of the trace, oldest first. */
  annotationsFor(traceId: string): AnnotationRecord[] {
    const id = parseInput(traceIdSchema, traceId, "bad_request");
    return this.guard("read annotations", () => this.statements.annotationsFor.all(id).map(rowToAnnotation));
  }

  /**
   * One short batch of pruning: whole traces older than the retention, then the oldest while
   * the file is over its size cap, with their feedback and annotations (see
   * trace-log-pruning.ts). The exporter runs batches off the request path until `more` is false.
   */
  pruneBatch(limits: PruneLimits, batchTraces = PRUNE_BATCH_TRACES): PruneBatch {
    const valid = parseInput(pruneLimitsSchema, limits, "bad_request");
    return this.guard("prune", () => pruneBatch(this.db, this.pruning, valid, { limit: batchTraces, now: Date.now() }));
  }

  /** Prunes to the limits, batch after batch, in one go (tests and scripts). */
  prune(limits: PruneLimits, batchTraces = PRUNE_BATCH_TRACES): PruneResult {
    const total: PruneResult = { traces: 0, spans: 0, feedback: 0, annotations: 0 };
    for (;;) {
      const { more, ...batch } = this.pruneBatch(limits, batchTraces);
      for (const key of Object.keys(total) as (keyof PruneResult)[]) total[key] += batch[key];
      if (!more) return total;
    }
  }

  /** Bytes the log's pages hold (what the size cap is measured against). */
  sizeBytes(): number {
    return this.guard("measure", () => liveBytes(this.db));
  }

  counts(): TraceLogCounts {
    return this.guard("count", () => countsRowSchema.parse(this.statements.counts.get()));
  }

  /** Closes the file (idempotent); later calls fail with `trace_log_failed`. */
  close(): void {
    if (!this.db.open) return;
    // Lets SQLite refresh its planner statistics, as it recommends before closing.
    this.db.pragma("optimize");
    this.db.close();
  }

  private rootSpanIdOf(traceId: string): string {
    const spanId: unknown = this.statements.rootSpanId.get(traceId);
    if (typeof spanId !== "string") {
      throw new AppError("trace_not_found", `trace ${traceId} is not in the trace log (yet)`);
    }
    return spanId;
  }

  /** Runs `work` on an open log, turning driver errors into `trace_log_failed`. */
  private guard<T>(what: string, work: () => T): T {
    if (!this.db.open) throw new AppError("trace_log_failed", `cannot ${what}: the trace log ${this.file} is closed`);
    try {
      return work();
    } catch (error) {
      throw asTraceLogError(error, `cannot ${what} in the trace log ${this.file}`);
    }
  }
}

function asTraceLogError(error: unknown, context: string): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AppError("trace_log_failed", `${context}: ${message}`, { cause: error });
}
