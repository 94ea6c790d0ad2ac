import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { AlertStateRecord, AlertTransitionRecord } from "./alert-state-store";
import type { StoredSpan } from "./span-record";
import type { PruneBatch, PruneLimits } from "./trace-log-pruning";
import type { AnnotationInput, AnnotationRecord, FeedbackInput, FeedbackRecord, RootSpanQuery } from "./trace-log-records";
import type { TraceWindow } from "./trace-log-window";

/**
 * The trace log whichever database holds it: the embedded SQLite file (trace-log.ts,
 * synchronous: better-sqlite3) or PostgreSQL when DATABASE_URL is set (pg-trace-log.ts, async).
 * Results are `MaybePromise` so the SQLite log fits unchanged and its tests stay synchronous;
 * code that may get either backend awaits every call (awaiting a plain value costs a tick).
 * Both validate inputs and rows with the same schemas (trace-log-records.ts, span-record.ts)
 * and fail with the same codes (`bad_request`, `trace_not_found`, `trace_log_failed`).
 */

export type MaybePromise<T> = T | Promise<T>;

export interface TraceLogCounts {
  /** Root spans, i.e. traces whose root has been written. */
  traces: number;
  spans: number;
  feedback: number;
  annotations: number;
}

/** Alert rule state and transitions (alert-state-store.ts): every write a compare-and-set. */
export interface AlertStore {
  /** Every stored state. */
  states(): MaybePromise<AlertStateRecord[]>;
  /** Saves a state that changed without a transition; false when another writer got there first. */
  save(next: AlertStateRecord): MaybePromise<boolean>;
  /** Records the transition and moves the state in one transaction; true exactly once per transition. */
  claimTransition(transition: AlertTransitionRecord, next: AlertStateRecord): MaybePromise<boolean>;
  /** Transitions at or after `sinceMs`, oldest first. */
  transitions(sinceMs?: number): MaybePromise<AlertTransitionRecord[]>;
}

export interface TraceStore {
  /** Where the log lives, for the admin's /api/health: a file path, or a database URL without its password. */
  readonly location: string;
  readonly alerts: AlertStore;
  /** Writes a batch atomically; a span written twice (same ids) is replaced. */
  writeSpans(spans: readonly ReadableSpan[]): MaybePromise<void>;
  /** The trace's root span, or undefined when it has not been written (yet). */
  rootSpan(traceId: string): MaybePromise<StoredSpan | undefined>;
  /** Every span of the trace, earliest first; empty when the trace is unknown. */
  trace(traceId: string): MaybePromise<StoredSpan[]>;
  /** Root spans, newest first. */
  listRootSpans(query?: RootSpanQuery): MaybePromise<StoredSpan[]>;
  /** Spans, feedback and annotations of the traces whose root started in [since, until), as of one moment. */
  traceWindow(since: number, until: number): MaybePromise<TraceWindow>;
  /** A user's verdict on the trace's root span; `trace_not_found` (nothing written) when the root is not in the log. */
  addFeedback(input: FeedbackInput): MaybePromise<FeedbackRecord>;
  feedbackFor(traceId: string): MaybePromise<FeedbackRecord[]>;
  /** An evaluation of a span (the root when `spanId` is left out); `trace_not_found` when that span is not in the log. */
  addAnnotation(input: AnnotationInput): MaybePromise<AnnotationRecord>;
  annotationsFor(traceId: string): MaybePromise<AnnotationRecord[]>;
  /** One short batch of pruning by age (and, for the SQLite file, size); `more` while another batch has work. */
  pruneBatch(limits: PruneLimits, batchTraces?: number): MaybePromise<PruneBatch>;
  counts(): MaybePromise<TraceLogCounts>;
  /** Idempotent; later calls fail with `trace_log_failed`. */
  close(): MaybePromise<void>;
}
