import type { SpanStatusName, StoredSpan } from "./span-record";
import type { TraceStore } from "./trace-store";
import { isRecord } from "../../guards";
import type { AnnotatorKind } from "../attributes";
import type { AnnotationRecord, FeedbackRecord, RootSpanQuery } from "./trace-log-records";

/**
 * What the app's own tools (curation, monitoring) need from stored traces, whichever
 * store holds them: the trace log here, or Phoenix when it is running. Implementations
 * return the same normalised span so a tool never knows which one it is reading.
 */

export type { RootSpanQuery };

export interface LoggedSpan {
  traceId: string;
  spanId: string;
  /** null for the trace's root. */
  parentSpanId: string | null;
  name: string;
  /** OpenInference span kind (AGENT, CHAIN, TOOL, LLM, RETRIEVER, EMBEDDING, ...); null if unset. */
  spanKind: string | null;
  /** Unix epoch milliseconds (fractional). */
  startTimeMs: number;
  endTimeMs: number;
  statusCode: SpanStatusName;
  statusMessage: string | null;
  /** Flat record with dotted OpenInference keys, e.g. `input.value`, `llm.token_count.total`. */
  attributes: Record<string, unknown>;
  /** `session.id`, when the span carries one. */
  sessionId?: string;
}

/**
 * A judgement on a span of the trace: a user's thumbs up/down (name `user_feedback`, HUMAN,
 * score 1 or 0, the comment as explanation, as it is filed in Phoenix) or an annotation
 * (online eval scores, eval runs, a reviewer's note).
 */
export interface TraceJudgement {
  spanId: string;
  name: string;
  annotatorKind: AnnotatorKind;
  score: number | null;
  label: string | null;
  explanation: string | null;
  /** Unix epoch ms of the last change, so a reader can keep the latest of repeated judgements. */
  updatedAtMs: number;
}

/** The annotation name user feedback is filed under, in Phoenix and by both readers (../feedback.ts uses it). */
export const USER_FEEDBACK_JUDGEMENT = "user_feedback";

export interface TraceReader {
  /** Root spans (one per trace), newest first. */
  rootSpans(query: RootSpanQuery): Promise<LoggedSpan[]>;
  /** Every span of a trace in `orderSpans` order; empty when the trace is unknown. */
  trace(traceId: string): Promise<LoggedSpan[]>;
  /** Feedback and annotations on any span of the trace, oldest first; empty when there are none. */
  judgements(traceId: string): Promise<TraceJudgement[]>;
  /**
   * Every span and judgement of the traces whose root started in [since, until), in one read.
   * Optional: a reader without it is read trace by trace (lib/monitoring/read-requests.ts).
   */
  traceWindow?(since: number, until: number): Promise<{ spans: LoggedSpan[]; judgements: WindowJudgement[] }>;
}

/** A judgement with the trace it belongs to, as a window read returns it. */
export interface WindowJudgement extends TraceJudgement {
  traceId: string;
}

export function storedToLoggedSpan(span: StoredSpan): LoggedSpan {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    name: span.name,
    spanKind: span.spanKind,
    startTimeMs: span.startTimeMs,
    endTimeMs: span.endTimeMs,
    statusCode: span.statusCode,
    statusMessage: span.statusMessage,
    attributes: span.attributes,
    ...(span.sessionId !== null && { sessionId: span.sessionId }),
  };
}

/** Reads the app's own trace log: the SQLite file, or PostgreSQL with DATABASE_URL (trace-store.ts). */
export class TraceLogReader implements TraceReader {
  constructor(private readonly log: TraceStore) {}

  async rootSpans(query: RootSpanQuery): Promise<LoggedSpan[]> {
    return (await this.log.listRootSpans(query)).map(storedToLoggedSpan);
  }

  async trace(traceId: string): Promise<LoggedSpan[]> {
    return orderSpans((await this.log.trace(traceId)).map(storedToLoggedSpan));
  }

  async traceWindow(since: number, until: number): Promise<{ spans: LoggedSpan[]; judgements: WindowJudgement[] }> {
    const window = await this.log.traceWindow(since, until);
    const judgements = [
      ...window.feedback.map((f) => ({ traceId: f.traceId, ...feedbackToJudgement(f) })),
      ...window.annotations.map((a) => ({ traceId: a.traceId, ...annotationToJudgement(a) })),
    ];
    return { spans: window.spans.map(storedToLoggedSpan), judgements: judgements.sort((a, b) => a.updatedAtMs - b.updatedAtMs) };
  }

  async judgements(traceId: string): Promise<TraceJudgement[]> {
    const [feedback, annotations] = await Promise.all([this.log.feedbackFor(traceId), this.log.annotationsFor(traceId)]);
    const all = [...feedback.map(feedbackToJudgement), ...annotations.map(annotationToJudgement)];
    return all.sort((a, b) => a.updatedAtMs - b.updatedAtMs);
  }
}

/** Feedback as Phoenix files it (lib/telemetry/feedback.ts), so both readers return the same. */
export function feedbackToJudgement(feedback: FeedbackRecord): TraceJudgement {
  return {
    spanId: feedback.spanId,
    name: USER_FEEDBACK_JUDGEMENT,
    annotatorKind: "HUMAN",
    score: feedback.score,
    label: feedback.score === 1 ? "thumbs_up" : "thumbs_down",
    explanation: feedback.comment,
    updatedAtMs: feedback.createdAtMs,
  };
}

export function annotationToJudgement(annotation: AnnotationRecord): TraceJudgement {
  return {
    spanId: annotation.spanId,
    name: annotation.name,
    annotatorKind: annotation.annotatorKind,
    score: annotation.score,
    label: annotation.label,
    explanation: annotation.explanation,
    updatedAtMs: annotation.createdAtMs,
  };
}

/**
 * An attribute that holds an object (`metadata`, `retrieval.documents.N.document.metadata`):
 * a JSON string in the trace log, parsed and flattened under `key.` by Phoenix. Returns the
 * object in either case (nested keys of the flattened form stay dotted), undefined when absent
 * or unreadable.
 */
export function objectAttribute(attributes: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const raw = attributes[key];
  if (typeof raw === "string") {
    try {
      const parsed: unknown = JSON.parse(raw);
      return isRecord(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  const prefix = `${key}.`;
  const entries = Object.entries(attributes).filter(([k]) => k.startsWith(prefix));
  return entries.length > 0 ? Object.fromEntries(entries.map(([k, v]) => [k.slice(prefix.length), v])) : undefined;
}

/**
 * The order both readers return a trace's spans in: earliest first to the millisecond, then
 * parents before children, then by span id. Spans of one step often start in the same
 * millisecond, and the stores keep finer times differently (the log doubles, Phoenix
 * microseconds), so finer times would order ties differently depending on the store.
 */
export function orderSpans(spans: readonly LoggedSpan[]): LoggedSpan[] {
  const parentOf = new Map(spans.map((s) => [s.spanId, s.parentSpanId]));
  const depth = (span: LoggedSpan) => {
    let d = 0;
    for (let p = span.parentSpanId; p !== null && p !== undefined && d < spans.length; p = parentOf.get(p) ?? null) d++;
    return d;
  };
  const keyed = spans.map((span) => ({ span, ms: Math.floor(span.startTimeMs), depth: depth(span) }));
  keyed.sort((a, b) => a.ms - b.ms || a.depth - b.depth || (a.span.spanId < b.span.spanId ? -1 : a.span.spanId > b.span.spanId ? 1 : 0));
  return keyed.map((k) => k.span);
}
