import { AppError } from "../errors";
import { PhoenixSpansNotFoundError, type PhoenixClient } from "./phoenix-client";
import type { PhoenixSpan, PhoenixSpanAnnotation } from "./phoenix-rest-schemas";
import { SPAN_STATUS_NAMES, type SpanStatusName } from "./trace-log/span-record";
import { parseInput, rootSpanQuerySchema, traceIdSchema } from "./trace-log/trace-log-records";
import { orderSpans, type LoggedSpan, type RootSpanQuery, type TraceJudgement, type TraceReader } from "./trace-log/trace-reader";

/**
 * Stored traces read from Phoenix's REST API instead of the local trace log: what curation and
 * monitoring use when many app instances export to one Phoenix (DESIGN.md, "Scale-out"). It
 * returns the same `LoggedSpan`s and `TraceJudgement`s as `TraceLogReader`, with these known
 * differences in what Phoenix keeps:
 * - JSON-string attributes Phoenix parses on ingestion (`metadata`,
 *   `retrieval.documents.N.document.metadata`) come back flattened (`metadata.model`); read
 *   them with `objectAttribute` (trace-reader.ts), which accepts both forms.
 * - Feedback is one annotation per answer (a second click replaces the first, see
 *   ../feedback.ts), where the log keeps every click: readers that care keep the latest.
 * - Times have microsecond precision (the log keeps OpenTelemetry's sub-millisecond doubles).
 *
 * The filters (roots only, end time, session) are sent to the server (arize-phoenix 20.26.1, the
 * pinned version, supports them) and applied again here, so an older Phoenix that ignores one
 * still gets the right answer, only with more transfer.
 */

const PAGE = 1_000;
/** Span ids remembered per trace, so `judgements` after `trace` costs one request, not two. */
const SPAN_ID_CACHE = 1_000;

export class PhoenixTraceReader implements TraceReader {
  private readonly spanIds = new Map<string, string[]>();

  constructor(
    private readonly client: PhoenixClient,
    private readonly project: string,
  ) {}

  async rootSpans(query: RootSpanQuery): Promise<LoggedSpan[]> {
    const { since, until, limit, sessionId } = parseInput(rootSpanQuerySchema, query, "bad_request");
    const roots: LoggedSpan[] = [];
    let cursor: string | undefined;
    try {
      do {
        const page = await this.client.listSpans(this.project, {
          limit: Math.min(PAGE, limit),
          cursor,
          rootsOnly: true,
          ...(since !== undefined ? { startTime: new Date(since) } : {}),
          ...(until !== undefined ? { endTime: new Date(until) } : {}),
          ...(sessionId !== undefined ? { attributes: [`session.id:${JSON.stringify(sessionId)}`] } : {}),
          sort: "start_time",
        });
        for (const span of page.spans) {
          const logged = phoenixToLoggedSpan(span);
          if (logged.parentSpanId !== null) continue;
          if (since !== undefined && logged.startTimeMs < since) continue;
          if (until !== undefined && logged.startTimeMs >= until) continue;
          if (sessionId !== undefined && logged.sessionId !== sessionId) continue;
          roots.push(logged);
        }
        // Newest first by start time: once `limit` roots are in, older pages cannot displace them.
        cursor = roots.length >= limit ? undefined : page.nextCursor;
      } while (cursor);
    } catch (error) {
      // A project that never received a span does not exist yet: it has no traces.
      if (error instanceof AppError && error.code === "phoenix_project_not_found") return [];
      throw error;
    }
    // Sorted again in case a Phoenix without `sort=start_time` paged in insertion order.
    return roots.sort((a, b) => b.startTimeMs - a.startTimeMs).slice(0, limit);
  }

  async trace(traceId: string): Promise<LoggedSpan[]> {
    const id = parseInput(traceIdSchema, traceId, "bad_request");
    let spans: PhoenixSpan[];
    try {
      spans = await this.client.allSpans(this.project, { traceIds: [id] });
    } catch (error) {
      if (error instanceof AppError && error.code === "phoenix_project_not_found") return [];
      throw error;
    }
    const logged = orderSpans(spans.map(phoenixToLoggedSpan));
    this.remember(
      id,
      logged.map((s) => s.spanId),
    );
    return logged;
  }

  async judgements(traceId: string): Promise<TraceJudgement[]> {
    const id = parseInput(traceIdSchema, traceId, "bad_request");
    const spanIds = this.spanIds.get(id) ?? (await this.trace(id)).map((s) => s.spanId);
    if (spanIds.length === 0) return [];
    let annotations: PhoenixSpanAnnotation[];
    try {
      annotations = await this.client.spanAnnotations(this.project, spanIds);
    } catch (error) {
      // None of the spans is known (yet): nothing was said about them.
      if (error instanceof PhoenixSpansNotFoundError) return [];
      if (error instanceof AppError && error.code === "phoenix_project_not_found") return [];
      throw error;
    }
    return annotations.map(phoenixToJudgement).sort((a, b) => a.updatedAtMs - b.updatedAtMs);
  }

  private remember(traceId: string, spanIds: string[]): void {
    this.spanIds.delete(traceId);
    this.spanIds.set(traceId, spanIds);
    // Maps iterate in insertion order: the first key is the least recently read trace.
    if (this.spanIds.size > SPAN_ID_CACHE) this.spanIds.delete(this.spanIds.keys().next().value ?? "");
  }
}

function statusName(code: string): SpanStatusName {
  return (SPAN_STATUS_NAMES as readonly string[]).includes(code) ? (code as SpanStatusName) : "UNSET";
}

function epochMs(iso: string, what: string): number {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new AppError("phoenix_request_failed", `Phoenix sent an unreadable ${what}: "${iso}"`);
  return ms;
}

/** A Phoenix span as the trace log would return it (see the file comment for what differs). */
export function phoenixToLoggedSpan(span: PhoenixSpan): LoggedSpan {
  const attributes: Record<string, unknown> = { ...span.attributes };
  // Phoenix reports "UNKNOWN" where the span had no kind; the log says null and has no attribute.
  const kind = span.span_kind === "UNKNOWN" ? null : span.span_kind;
  if (kind === null) delete attributes["openinference.span.kind"];
  const sessionId = attributes["session.id"];
  return {
    traceId: span.context.trace_id,
    spanId: span.context.span_id,
    parentSpanId: span.parent_id,
    name: span.name,
    spanKind: kind,
    startTimeMs: epochMs(span.start_time, "start time"),
    endTimeMs: epochMs(span.end_time, "end time"),
    statusCode: statusName(span.status_code),
    statusMessage: span.status_message === "" ? null : span.status_message,
    attributes,
    ...(typeof sessionId === "string" ? { sessionId } : {}),
  };
}

export function phoenixToJudgement(annotation: PhoenixSpanAnnotation): TraceJudgement {
  return {
    spanId: annotation.span_id,
    name: annotation.name,
    annotatorKind: annotation.annotator_kind,
    score: annotation.result?.score ?? null,
    label: annotation.result?.label ?? null,
    explanation: annotation.result?.explanation ?? null,
    updatedAtMs: epochMs(annotation.updated_at, "annotation time"),
  };
}
