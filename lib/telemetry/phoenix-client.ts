import { z } from "zod";
import { AppError } from "../errors";
import {
  annotationInputSchema,
  annotationsResponseSchema,
  insertedResponseSchema,
  parseSpansResponse,
  validatePhoenixResponse,
  type PhoenixSpan,
  type PhoenixSpanAnnotation,
  type SpanAnnotationInput,
} from "./phoenix-rest-schemas";
import { PhoenixHttp, type PhoenixConnectionOptions, type PhoenixQuery } from "./phoenix-http";

/**
 * A small typed client for Phoenix's REST API: spans, span annotations, health. The wire
 * formats and their quirks are described and validated in phoenix-rest-schemas.ts.
 */

/**
 * Phoenix does not know (yet) some of the spans named: they may still be in its ingestion
 * queue. Retrying after a short wait is the remedy when the spans were just exported.
 */
export class PhoenixSpansNotFoundError extends AppError {
  readonly spanIds: readonly string[];

  constructor(spanIds: readonly string[], detail: string) {
    super("phoenix_span_not_found", `Phoenix has no span ${spanIds.join(", ")} (yet?): ${detail}`);
    this.name = "PhoenixSpansNotFoundError";
    this.spanIds = spanIds;
  }
}

export interface ListSpansOptions {
  /** Page size, 1–1000 (Phoenix's limit; its default is 100). */
  limit?: number;
  cursor?: string;
  /** Inclusive lower bound on the span's start time. */
  startTime?: Date | string;
  /** Exclusive upper bound on the span's start time. */
  endTime?: Date | string;
  /** Only spans of these traces. */
  traceIds?: readonly string[];
  /** Only root spans (`parent_id=null`). */
  rootsOnly?: boolean;
  /** Attribute filters, `key:value` each (e.g. `session.id:"abc"`), all of which must match. */
  attributes?: readonly string[];
  /** Newest first by insertion (`id`, Phoenix's default) or by start time. */
  sort?: "id" | "start_time";
}

/** Span ids per annotation query: keeps the URL well under common 8 KB limits. */
const SPAN_IDS_PER_QUERY = 100;
const MAX_PAGE = 1000;

export class PhoenixClient {
  private readonly http: PhoenixHttp;

  constructor(options: PhoenixConnectionOptions) {
    this.http = new PhoenixHttp(options);
  }

  /** True when Phoenix answers its health check; never throws. */
  async health(): Promise<boolean> {
    try {
      return await this.http.exchange({ method: "GET", route: "/healthz" }, async (response) => {
        await response.body?.cancel();
        return response.ok;
      });
    } catch {
      return false;
    }
  }

  /** One page of a project's spans, newest first. A project with no spans yet is `phoenix_project_not_found`. */
  async listSpans(project: string, options: ListSpansOptions = {}): Promise<{ spans: PhoenixSpan[]; nextCursor?: string }> {
    const iso = (time: Date | string | undefined) => (time instanceof Date ? time.toISOString() : time);
    const response = await this.request("GET", `/v1/projects/${encodeURIComponent(project)}/spans`, {
      query: {
        limit: options.limit,
        cursor: options.cursor,
        start_time: iso(options.startTime),
        end_time: iso(options.endTime),
        trace_id: options.traceIds,
        parent_id: options.rootsOnly ? "null" : undefined,
        attribute: options.attributes,
        sort: options.sort,
      },
    });
    if (response.status === 404) throw await projectNotFound(project, response);
    return parseSpansResponse(await this.json(response, "spans"));
  }

  /** Every span of a project (matching the filters), following the cursor. */
  async allSpans(project: string, options: Omit<ListSpansOptions, "cursor" | "limit"> = {}): Promise<PhoenixSpan[]> {
    const spans: PhoenixSpan[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.listSpans(project, { ...options, limit: MAX_PAGE, cursor });
      spans.push(...page.spans);
      cursor = page.nextCursor;
    } while (cursor);
    return spans;
  }

  /**
   * Writes annotations and returns their Phoenix ids. Synchronous on the server, so an
   * annotation is readable once this resolves; throws PhoenixSpansNotFoundError (nothing
   * written) when a span is not ingested yet: retry after a moment.
   */
  async annotateSpans(annotations: readonly SpanAnnotationInput[]): Promise<string[]> {
    if (annotations.length === 0) return [];
    const parsed = z.array(annotationInputSchema).safeParse(annotations);
    if (!parsed.success) throw new AppError("bad_request", `invalid span annotation: ${z.prettifyError(parsed.error)}`);
    const data = parsed.data.map((a) => ({
      span_id: a.spanId,
      name: a.name,
      annotator_kind: a.annotatorKind,
      result: { label: a.label ?? null, score: a.score ?? null, explanation: a.explanation ?? null },
      metadata: a.metadata ?? {},
      identifier: a.identifier ?? "",
    }));
    const response = await this.request("POST", "/v1/span_annotations", { query: { sync: "true" }, body: { data } });
    if (response.status === 404) {
      // The body names the missing ids ("Spans with IDs a, b do not exist."); keep those
      // that were asked for, or all of them if the wording changes.
      const detail = await response.text();
      const asked = [...new Set(data.map((d) => d.span_id))];
      const named = asked.filter((id) => detail.includes(id));
      throw new PhoenixSpansNotFoundError(named.length > 0 ? named : asked, detail.trim());
    }
    const inserted = validatePhoenixResponse(insertedResponseSchema, await this.json(response, "span annotations"), "annotation ids");
    return inserted.data.map((d) => d.id);
  }

  /**
   * The annotations on these spans, every page. Phoenix answers 404 only when none of a
   * batch of ids exists in the project: that is a PhoenixSpansNotFoundError; a span with no
   * annotations just contributes nothing.
   */
  async spanAnnotations(project: string, spanIds: readonly string[]): Promise<PhoenixSpanAnnotation[]> {
    const out: PhoenixSpanAnnotation[] = [];
    const unique = [...new Set(spanIds)];
    for (let i = 0; i < unique.length; i += SPAN_IDS_PER_QUERY) {
      const batch = unique.slice(i, i + SPAN_IDS_PER_QUERY);
      let cursor: string | undefined;
      do {
        const response = await this.request("GET", `/v1/projects/${encodeURIComponent(project)}/span_annotations`, {
          query: { span_ids: batch, limit: MAX_PAGE, cursor },
        });
        if (response.status === 404) {
          const detail = (await response.text()).trim();
          // The same 404 means "no such project" or "none of these spans": ask which.
          if (!(await this.projectExists(project))) throw new AppError("phoenix_project_not_found", `Phoenix has no project "${project}"`);
          throw new PhoenixSpansNotFoundError(batch, detail);
        }
        const page = validatePhoenixResponse(annotationsResponseSchema, await this.json(response, "span annotations"), "span annotations");
        out.push(...page.data);
        cursor = page.next_cursor ?? undefined;
      } while (cursor);
    }
    return out;
  }

  private async projectExists(project: string): Promise<boolean> {
    const response = await this.request("GET", `/v1/projects/${encodeURIComponent(project)}`);
    await response.body?.cancel();
    if (response.status === 404) return false;
    if (!response.ok) throw new AppError("phoenix_request_failed", `Phoenix answered ${response.status} for project "${project}"`);
    return true;
  }

  /** Sends one request; network failures and timeouts become `phoenix_unavailable`. 404s are left to the caller. */
  private async request(method: "GET" | "POST", route: string, options: { query?: PhoenixQuery; body?: unknown } = {}): Promise<Response> {
    const response = await this.http.exchange({ method, route, ...options }, (answer) => Promise.resolve(answer));
    if (!response.ok && response.status !== 404) {
      const detail = (await response.text()).slice(0, 500);
      throw new AppError("phoenix_request_failed", `Phoenix answered ${response.status} to ${method} ${route}: ${detail}`);
    }
    return response;
  }

  private async json(response: Response, what: string): Promise<unknown> {
    try {
      return await response.json();
    } catch (error) {
      throw new AppError("phoenix_request_failed", `Phoenix sent ${what} that is not JSON`, { cause: error });
    }
  }
}

async function projectNotFound(project: string, response: Response): Promise<AppError> {
  const detail = (await response.text()).trim();
  return new AppError("phoenix_project_not_found", `Phoenix has no project "${project}" (no span received yet?): ${detail}`);
}
