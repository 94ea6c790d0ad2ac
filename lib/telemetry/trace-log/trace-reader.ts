import type { SpanStatusName, StoredSpan } from "./span-record";
import type { TraceLog } from "./trace-log";
import type { RootSpanQuery } from "./trace-log-records";

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

export interface TraceReader {
  /** Root spans (one per trace), newest first. */
  rootSpans(query: RootSpanQuery): Promise<LoggedSpan[]>;
  /** Every span of a trace, earliest first; empty when the trace is unknown. */
  trace(traceId: string): Promise<LoggedSpan[]>;
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

/** Reads the app's own SQLite trace log (synchronous underneath; async to fit the interface). */
export class TraceLogReader implements TraceReader {
  constructor(private readonly log: TraceLog) {}

  async rootSpans(query: RootSpanQuery): Promise<LoggedSpan[]> {
    return this.log.listRootSpans(query).map(storedToLoggedSpan);
  }

  async trace(traceId: string): Promise<LoggedSpan[]> {
    return this.log.trace(traceId).map(storedToLoggedSpan);
  }
}
