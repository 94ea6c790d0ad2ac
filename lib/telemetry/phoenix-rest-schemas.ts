import { z } from "zod";
import { AppError } from "../errors";
import { isRecord } from "../guards";
import { ANNOTATOR_KINDS } from "./attributes";

/**
 * The shapes of Phoenix's REST API, validated with zod and normalised (checked against
 * arize-phoenix 20.26.1, the version pinned in scripts/phoenix-requirements.txt; its OpenAPI
 * is at /openapi.json).
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
  events: z.array(z.object({ name: z.string(), timestamp: z.string(), attributes: z.record(z.string(), z.unknown()).nullish() })).nullish(),
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
export function validatePhoenixResponse<T>(schema: z.ZodType<T>, raw: unknown, what: string): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError("phoenix_request_failed", `unexpected ${what} from Phoenix: ${z.prettifyError(parsed.error)}`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
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
  const parsed = validatePhoenixResponse(spansResponseSchema, raw, "span listing");
  return { spans: parsed.data.map(normaliseSpan), ...(parsed.next_cursor ? { nextCursor: parsed.next_cursor } : {}) };
}

export const annotationInputSchema = z
  .object({
    spanId: z.string().regex(/^[0-9a-f]{16}$/, "an OpenTelemetry span id: 16 lowercase hex digits"),
    // "note" is reserved by Phoenix for span notes (a 400 otherwise).
    name: z
      .string()
      .min(1)
      .refine((name) => name !== "note", "the name 'note' is reserved by Phoenix"),
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
  result: z.object({ label: z.string().nullish(), score: z.number().nullish(), explanation: z.string().nullish() }).nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish(),
  identifier: z.string().nullish(),
  source: z.string(),
  user_id: z.string().nullish(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type PhoenixSpanAnnotation = z.infer<typeof annotationSchema>;
export const annotationsResponseSchema = z.object({ data: z.array(annotationSchema), next_cursor: z.string().nullish() });
export const insertedResponseSchema = z.object({ data: z.array(z.object({ id: z.string() })) });
