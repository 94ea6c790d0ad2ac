import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import pg from "pg";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { databaseError } from "@/lib/postgres/pool";
import { migrateSchema } from "@/lib/postgres/schema-migrations";
import { inTransaction } from "@/lib/postgres/transaction";
import { PgAlertStateStore } from "./pg-alert-state-store";
import { PG_TRACE_LOG_MIGRATIONS } from "./pg-trace-log-schema";
import { pgPruneBatch } from "./pg-trace-log-pruning";
import { rowToStoredSpan, SPAN_COLUMNS, spanToRow, type SpanRowParams, type StoredSpan } from "./span-record";
import type { PruneBatch, PruneLimits } from "./trace-log-pruning";
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
import type { TraceWindow } from "./trace-log-window";
import type { TraceLogCounts, TraceStore } from "./trace-store";

/**
 * The trace log in PostgreSQL (DATABASE_URL): what trace-log.ts keeps in a SQLite file, shared
 * by every replica. Same inputs, same rows, same errors; the span exporter writes it and the
 * readers read it through TraceStore. Every value is a bound parameter. Pruning is by age only
 * (TRACE_LOG_RETENTION_DAYS): PostgreSQL does not give freed pages back, so a size cap on the
 * tables would prune and prune again; the database's disk is the operator's to size.
 */

const countsRowSchema = z.object({ traces: z.number(), spans: z.number(), feedback: z.number(), annotations: z.number() });
const ROOT_SPAN = "SELECT * FROM trace_log.spans WHERE trace_id = $1 AND parent_span_id IS NULL ORDER BY start_time_ms LIMIT 1";
const ROOTS_IN_RANGE = "SELECT trace_id FROM trace_log.spans WHERE parent_span_id IS NULL AND start_time_ms >= $1 AND start_time_ms < $2";
const UPSERT_SPAN_TAIL = `ON CONFLICT (trace_id, span_id) DO UPDATE SET ${SPAN_COLUMNS.filter((c) => c !== "trace_id" && c !== "span_id")
  .map((c) => `${c} = EXCLUDED.${c}`)
  .join(", ")}`;

// PostgreSQL text cannot hold NUL; SQLite can. Span text keeps everything else byte for byte.
const storable = (value: string | null) => (value === null ? null : value.replaceAll("\u0000", "\uFFFD"));

function storableRow(row: SpanRowParams): SpanRowParams {
  return {
    ...row,
    name: row.name.replaceAll("\u0000", "\uFFFD"),
    status_message: storable(row.status_message),
    input_value: storable(row.input_value),
    output_value: storable(row.output_value),
    // JSON.stringify escapes NUL inside strings, but keys and values were already JSON text.
  };
}

export class PgTraceLog implements TraceStore {
  readonly alerts: PgAlertStateStore;
  private ready: Promise<void> | undefined;
  private closed = false;

  /** `location` names the database for /api/health (without its password); the pool is shared, not owned. */
  constructor(
    private readonly pool: pg.Pool,
    readonly location: string,
  ) {
    this.alerts = new PgAlertStateStore(pool, (what, work) => this.guard(what, work));
  }

  /** Creates or upgrades the tables (once; every call waits for it; retried after a failure). */
  migrate(): Promise<void> {
    this.ready ??= migrateSchema(this.pool, "trace_log", PG_TRACE_LOG_MIGRATIONS).catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  writeSpans(spans: readonly ReadableSpan[]): Promise<void> {
    if (spans.length === 0) return Promise.resolve();
    return this.guard("write spans", async () => {
      // One row per key, the last one winning, as SQLite's INSERT OR REPLACE does row by row.
      const rows = [...new Map(spans.map(spanToRow).map((r) => [`${r.trace_id}/${r.span_id}`, storableRow(r)])).values()];
      const params: unknown[] = [];
      const tuples = rows.map((row) => `(${SPAN_COLUMNS.map((c) => `$${params.push(row[c])}`).join(", ")})`);
      await this.pool.query(
        `INSERT INTO trace_log.spans (${SPAN_COLUMNS.join(", ")}) VALUES ${tuples.join(", ")} ${UPSERT_SPAN_TAIL}`,
        params,
      );
    });
  }

  rootSpan(traceId: string): Promise<StoredSpan | undefined> {
    return this.guard("read a root span", async () => {
      const { rows } = await this.pool.query(ROOT_SPAN, [parseInput(traceIdSchema, traceId, "bad_request")]);
      return rows[0] === undefined ? undefined : rowToStoredSpan(rows[0]);
    });
  }

  trace(traceId: string): Promise<StoredSpan[]> {
    return this.guard("read a trace", async () => {
      const id = parseInput(traceIdSchema, traceId, "bad_request");
      const { rows } = await this.pool.query("SELECT * FROM trace_log.spans WHERE trace_id = $1 ORDER BY start_time_ms, span_id", [id]);
      return rows.map(rowToStoredSpan);
    });
  }

  listRootSpans(query: RootSpanQuery = {}): Promise<StoredSpan[]> {
    return this.guard("list root spans", async () => {
      const { since, until, limit, sessionId } = parseInput(rootSpanQuerySchema, query, "bad_request");
      const conditions = ["parent_span_id IS NULL"];
      const params: unknown[] = [];
      if (since !== undefined) conditions.push(`start_time_ms >= $${params.push(since)}`);
      if (until !== undefined) conditions.push(`start_time_ms < $${params.push(until)}`);
      // Any span of the trace may carry the session (often the agent span, not the root).
      if (sessionId !== undefined)
        conditions.push(`trace_id IN (SELECT trace_id FROM trace_log.spans WHERE session_id = $${params.push(sessionId)})`);
      // Only fixed fragments are joined into the SQL; every value is a bound parameter.
      const sql = `SELECT * FROM trace_log.spans WHERE ${conditions.join(" AND ")} ORDER BY start_time_ms DESC LIMIT $${params.push(limit)}`;
      return (await this.pool.query(sql, params)).rows.map(rowToStoredSpan);
    });
  }

  traceWindow(since: number, until: number): Promise<TraceWindow> {
    return this.guard("read a time window", () =>
      // One snapshot: the three reads see the same moment, as SQLite's read transaction does.
      inTransaction(
        this.pool,
        async (db) => {
          const range = [since, until];
          const spans = await db.query(
            `SELECT * FROM trace_log.spans WHERE trace_id IN (${ROOTS_IN_RANGE}) ORDER BY trace_id, start_time_ms, span_id`,
            range,
          );
          const feedback = await db.query(
            `SELECT * FROM trace_log.feedback WHERE trace_id IN (${ROOTS_IN_RANGE}) ORDER BY created_at_ms, id`,
            range,
          );
          const annotations = await db.query(
            `SELECT * FROM trace_log.annotations WHERE trace_id IN (${ROOTS_IN_RANGE}) ORDER BY created_at_ms, id`,
            range,
          );
          return {
            spans: spans.rows.map(rowToStoredSpan),
            feedback: feedback.rows.map(rowToFeedback),
            annotations: annotations.rows.map(rowToAnnotation),
          };
        },
        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
      ),
    );
  }

  addFeedback(input: FeedbackInput): Promise<FeedbackRecord> {
    return this.guard("add feedback", async () => {
      const feedback = parseInput(feedbackInputSchema, input, "invalid_body");
      // One statement: the root is looked up and the row written atomically, or nothing is.
      const { rows } = await this.pool.query(
        `INSERT INTO trace_log.feedback (trace_id, span_id, score, comment, source, created_at_ms)
         SELECT trace_id, span_id, $2, $3, $4, $5 FROM (${ROOT_SPAN}) root RETURNING *`,
        [feedback.traceId, feedback.score, storable(feedback.comment), feedback.source, Date.now()],
      );
      if (rows[0] === undefined) throw new AppError("trace_not_found", `trace ${feedback.traceId} is not in the trace log (yet)`);
      return rowToFeedback(rows[0]);
    });
  }

  feedbackFor(traceId: string): Promise<FeedbackRecord[]> {
    return this.guard("read feedback", async () => {
      const id = parseInput(traceIdSchema, traceId, "bad_request");
      return (await this.pool.query("SELECT * FROM trace_log.feedback WHERE trace_id = $1 ORDER BY created_at_ms, id", [id])).rows.map(
        rowToFeedback,
      );
    });
  }

  addAnnotation(input: AnnotationInput): Promise<AnnotationRecord> {
    return this.guard("add an annotation", async () => {
      const a = parseInput(annotationInputSchema, input, "invalid_body");
      const target =
        a.spanId === undefined
          ? `SELECT trace_id, span_id FROM (${ROOT_SPAN}) root`
          : "SELECT trace_id, span_id FROM trace_log.spans WHERE trace_id = $1 AND span_id = $10";
      const { rows } = await this.pool.query(
        `INSERT INTO trace_log.annotations (trace_id, span_id, name, annotator_kind, label, score, explanation, metadata, run_id, created_at_ms)
         SELECT trace_id, span_id, $2, $3, $4, $5, $6, $7, $8, $9 FROM (${target}) target RETURNING *`,
        [
          a.traceId,
          storable(a.name),
          a.annotatorKind,
          storable(a.label ?? null),
          a.score ?? null,
          storable(a.explanation ?? null),
          JSON.stringify(a.metadata),
          storable(a.runId ?? null),
          Date.now(),
          ...(a.spanId === undefined ? [] : [a.spanId]),
        ],
      );
      if (rows[0] !== undefined) return rowToAnnotation(rows[0]);
      throw new AppError(
        "trace_not_found",
        a.spanId === undefined
          ? `trace ${a.traceId} is not in the trace log (yet)`
          : `span ${a.spanId} of trace ${a.traceId} is not in the trace log`,
      );
    });
  }

  annotationsFor(traceId: string): Promise<AnnotationRecord[]> {
    return this.guard("read annotations", async () => {
      const id = parseInput(traceIdSchema, traceId, "bad_request");
      return (await this.pool.query("SELECT * FROM trace_log.annotations WHERE trace_id = $1 ORDER BY created_at_ms, id", [id])).rows.map(
        rowToAnnotation,
      );
    });
  }

  pruneBatch(limits: PruneLimits, batchTraces = 100): Promise<PruneBatch> {
    return this.guard("prune", () => pgPruneBatch(this.pool, limits, { limit: batchTraces, now: Date.now() }));
  }

  counts(): Promise<TraceLogCounts> {
    return this.guard("count", async () => {
      const { rows } = await this.pool.query(
        `SELECT (SELECT count(*) FROM trace_log.spans WHERE parent_span_id IS NULL)::int AS traces,
                (SELECT count(*) FROM trace_log.spans)::int AS spans,
                (SELECT count(*) FROM trace_log.feedback)::int AS feedback,
                (SELECT count(*) FROM trace_log.annotations)::int AS annotations`,
      );
      return countsRowSchema.parse(rows[0]);
    });
  }

  /** Stops this log (idempotent); the pool is shared and closed by its owner (lib/postgres/pool.ts). */
  close(): void {
    this.closed = true;
  }

  /** Runs `work` on an open, migrated log: an unreachable database is `database_unavailable`, any other failure `trace_log_failed`. */
  private async guard<T>(what: string, work: () => Promise<T>): Promise<T> {
    if (this.closed) throw new AppError("trace_log_failed", `cannot ${what}: the trace log ${this.location} is closed`);
    try {
      await this.migrate();
      return await work();
    } catch (error) {
      if (error instanceof AppError) throw error;
      if (!(error instanceof pg.DatabaseError) || /^(08|57P)/.test(error.code ?? "")) throw databaseError(error, `cannot ${what}`);
      throw new AppError("trace_log_failed", `cannot ${what} in the trace log ${this.location}: ${error.message}`, { cause: error });
    }
  }
}
