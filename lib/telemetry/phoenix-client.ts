import { z } from "zod";
import { AppError } from "../errors";

/**
 * A small typed client for Phoenix's REST API (checked against arize-phoenix 20.26.1,
 * the version pinned in scripts/phoenix-requirements.txt; its OpenAPI is at /openapi.json).
 *
 * What the server returns (GET /v1/projects/{project}/spans):
 *   { data: Span[], next_cursor: string | null }      newest first (sort=id, order=desc)
 *   Span = { id: "U3Bhbjoy" (Phoenix's global id), name, context: { trace_id, span_id },
 *            span_kind: "RETRIEVER" | "LLM" | … | "UNKNOWN", parent_id: string | null,
 *            start_time, end_time: ISO 8601 with offset ("2026-01-01T12:00:00.708000+00:00"),
 *            status_code: "OK" | "ERROR" | "UNSET", status_message: string,
 *            attributes: { [dotted key]: value }, events: { name, timestamp, attributes }[] }
 * The attributes come back already flattened to dotted keys, lists of objects by index
 * (`retrieval.documents.0.document.id`), lists of primitives as arrays (`tag.tags`), with two
 * quirks: `openinference.span.kind` is removed from them (it is `span_kind`), and a JSON
 * string `metadata` attribute comes back parsed and flattened (`metadata.k`). This client
 * re-flattens defensively (other endpoints and older versions nest) and puts
 * `openinference.span.kind` back, so callers see one flat record keyed like OpenInference.
 * A project that has not received a span yet does not exist: 404 (text/plain).
 *
 * Annotations: POST /v1/span_annotations?sync=true with { data: [{ span_id, name,
 * annotator_kind, result: { label, score, explanation }, metadata, identifier }] } →
 * { data: [{ id }] }. With sync=true an unknown span id is a 404 "Spans with IDs … do not
 * exist." and nothing is written (spans are ingested asynchronously, so a span exported a
 * moment ago can be unknown). Without sync, Phoenix answers { data: [] } at once and retries
 * in the background (every 10 s, up to 60 times) before dropping it silently.
 * GET /v1/projects/{project}/span_annotations?span_ids=…&limit=… →
 * { data: SpanAnnotation[], next_cursor }; 404 when the project is unknown or when none of
 * the span ids exist in it; spans with no annotations are simply absent.
 */

const primitive = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type AttributePrimitive = z.infer<typeof primitive>;
export type AttributeValue = AttributePrimitive | AttributePrimitive[];
/** Span attributes keyed by dotted OpenInference names. */
export type FlatAttributes = Record<string, AttributeValue>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Flattens nested attributes to dotted keys: objects by key, lists that hold objects by
 * index; lists of primitives stay lists (as OpenTelemetry array attributes are). Flat input
 * passes through unchanged, so this is safe on any Phoenix response shape.
 */
export function flattenAttributes(value: Record<string, unknown>, prefix = "", out: FlatAttributes = {}): FlatAttributes {
  for (const [key, item] of Object.entries(value)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (isRecord(item)) {
      flattenAttributes(item, name, out);
    } else if (Array.isArray(item)) {
      if (item.some((element) => isRecord(element) || Array.isArray(element))) {
        flattenAttributes(Object.fromEntries(item.map((element, index) => [String(index), element])), name, out);
      } else {
        out[name] = item.filter((element): element is AttributePrimitive => primitive.safeParse(element).success);
      }
    } else if (primitive.safeParse(item).success) {
      out[name] = item as AttributePrimitive;
    }
    // anything else (undefined from a sparse array) carries nothing worth keeping
  }
  return out;
}

const rawSpanSchema = z.object({
  id: z.string().optional(),
  name: z.string(),
  context: z.object({ trace_id: z.string(), span_id: z.string() }),
  span_kind: z.string(),
  parent_id: z.string().nullish(),
  start_time: z.string(),
  end_time: z.string(),
  status_code: z.string(),
  status_message: z.string().nullish(),
  attributes: z.record(z.string(), z.unknown()).nullish(),
  events: z
    .array(z.object({ name: z.string(), timestamp: z.string(), attributes: z.record(z.string(), z.unknown()).nullish() }))
    .nullish(),
});

const spansResponseSchema = z.object({ data: z.array(rawSpanSchema), next_cursor: z.string().nullish() });

export interface PhoenixSpan {
  /** Phoenix's own global id (not the OpenTelemetry span id). */
  id?: string;
  name: string;
  context: { trace_id: string; span_id: string };
  /** OpenTelemetry span id of the parent; null for a root span. */
  parent_id: string | null;
  /** OpenInference span kind (also in `attributes["openinference.span.kind"]`). */
  span_kind: string;
  start_time: string;
  end_time: string;
  status_code: string;
  status_message: string;
  attributes: FlatAttributes;
  events: { name: string; timestamp: string; attributes: FlatAttributes }[];
}

/** zod at the boundary: a response of the wrong shape is Phoenix's problem, reported as such. */
function validate<T>(schema: z.ZodType<T>, raw: unknown, what: string): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError("phoenix_request_failed", `unexpected ${what} from Phoenix: ${z.prettifyError(parsed.error)}`, { cause: parsed.error });
  }
  return parsed.data;
}

/** Validates one span from the REST API and normalises its attributes (see the file comment). */
export function parseSpan(raw: unknown): PhoenixSpan {
  return normaliseSpan(validate(rawSpanSchema, raw, "span"));
}

function normaliseSpan(span: z.infer<typeof rawSpanSchema>): PhoenixSpan {
  const attributes = flattenAttributes(span.attributes ?? {});
  attributes["openinference.span.kind"] ??= span.span_kind;
  return {
    ...(span.id ? { id: span.id } : {}),
    name: span.name,
    context: span.context,
    parent_id: span.parent_id ?? null,
    span_kind: span.span_kind,
    start_time: span.start_time,
    end_time: span.end_time,
    status_code: span.status_code,
    status_message: span.status_message ?? "",
    attributes,
    events: (span.events ?? []).map((event) => ({ ...event, attributes: flattenAttributes(event.attributes ?? {}) })),
  };
}

/** Validates a span listing page. */
export function parseSpansResponse(raw: unknown): { spans: PhoenixSpan[]; nextCursor?: string } {
  const parsed = validate(spansResponseSchema, raw, "span listing");
  return { spans: parsed.data.map(normaliseSpan), ...(parsed.next_cursor ? { nextCursor: parsed.next_cursor } : {}) };
}

export const ANNOTATOR_KINDS = ["HUMAN", "LLM", "CODE"] as const;
export type AnnotatorKind = (typeof ANNOTATOR_KINDS)[number];

const annotationInputSchema = z
  .object({
    spanId: z.string().regex(/^[0-9a-f]{16}$/, "an OpenTelemetry span id: 16 lowercase hex digits"),
    // "note" is reserved by Phoenix for span notes (a 400 otherwise).
    name: z.string().min(1).refine((name) => name !== "note", "the name 'note' is reserved by Phoenix"),
    annotatorKind: z.enum(ANNOTATOR_KINDS),
    label: z.string().optional(),
    score: z.number().finite().optional(),
    explanation: z.string().optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    /** Upsert key: the same (span, name, identifier) replaces the earlier annotation. */
    identifier: z.string().optional(),
  })
  .strict();
export type SpanAnnotationInput = z.input<typeof annotationInputSchema>;

const annotationSchema = z.object({
  id: z.string(),
  span_id: z.string(),
  name: z.string(),
  annotator_kind: z.enum(ANNOTATOR_KINDS),
  result: z
    .object({ label: z.string().nullish(), score: z.number().nullish(), explanation: z.string().nullish() })
    .nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  identifier: z.string().nullish(),
  source: z.string(),
  user_id: z.string().nullish(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type PhoenixSpanAnnotation = z.infer<typeof annotationSchema>;
const annotationsResponseSchema = z.object({ data: z.array(annotationSchema), next_cursor: z.string().nullish() });
const insertedResponseSchema = z.object({ data: z.array(z.object({ id: z.string() })) });

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

export interface PhoenixClientOptions {
  baseUrl: string;
  /** Sent as a bearer token; only needed when Phoenix runs with authentication. */
  apiKey?: string;
  /** Per request. */
  timeoutMs: number;
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

type Query = Record<string, string | number | readonly string[] | undefined>;

/** Span ids per annotation query: keeps the URL well under common 8 KB limits. */
const SPAN_IDS_PER_QUERY = 100;
const MAX_PAGE = 1000;

export class PhoenixClient {
  private readonly baseUrl: string;
  private readonly apiKey?: string;
  private readonly timeoutMs: number;

  constructor(options: PhoenixClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.apiKey = options.apiKey;
    this.timeoutMs = options.timeoutMs;
  }

  /** True when Phoenix answers its health check; never throws. */
  async health(): Promise<boolean> {
    try {
      const response = await fetch(`${this.baseUrl}/healthz`, { signal: AbortSignal.timeout(this.timeoutMs) });
      await response.body?.cancel();
      return response.ok;
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
    const inserted = validate(insertedResponseSchema, await this.json(response, "span annotations"), "annotation ids");
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
        const page = validate(annotationsResponseSchema, await this.json(response, "span annotations"), "span annotations");
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
  private async request(method: "GET" | "POST", route: string, options: { query?: Query; body?: unknown } = {}): Promise<Response> {
    const url = new URL(`${this.baseUrl}${route}`);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value === undefined) continue;
      if (typeof value === "object") for (const item of value) url.searchParams.append(key, item);
      else url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { accept: "application/json" };
    if (options.body !== undefined) headers["content-type"] = "application/json";
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && error.name === "TimeoutError";
      const why = timedOut ? `no answer within ${this.timeoutMs} ms` : error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      throw new AppError("phoenix_unavailable", `Phoenix at ${this.baseUrl} is unreachable (${method} ${route}): ${why}`, { cause: error });
    }
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
