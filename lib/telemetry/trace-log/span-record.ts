import { SemanticConventions, SEMRESATTRS_PROJECT_NAME } from "@arizeai/openinference-semantic-conventions";
import { SpanStatusCode, type Attributes } from "@opentelemetry/api";
import { hrTimeToMilliseconds } from "@opentelemetry/core";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { z } from "zod";
import { AppError } from "@/lib/errors";

/**
 * The mapping between an OpenTelemetry span and a row of the `spans` table, both ways.
 * Writing flattens the span into columns (a few OpenInference attributes are copied out
 * so common queries need no JSON); reading validates the row, because the file is
 * outside this process's control (another build may have written it).
 */

export const SPAN_STATUS_NAMES = ["UNSET", "OK", "ERROR"] as const;
export type SpanStatusName = (typeof SPAN_STATUS_NAMES)[number];

/** An attribute value after a JSON round trip (non-finite numbers become null). */
export type StoredAttributeValue = string | number | boolean | null | (string | number | boolean | null)[];
export type StoredAttributes = Record<string, StoredAttributeValue>;

export interface StoredSpanEvent {
  name: string;
  timeMs: number;
  attributes: StoredAttributes;
}

/** One span as the trace log holds it. Times are unix epoch milliseconds (fractional). */
export interface StoredSpan {
  traceId: string;
  spanId: string;
  /** null for the trace's root in this log (including a span whose parent is remote). */
  parentSpanId: string | null;
  /** The parent in another process, when the trace was continued from a traceparent header. */
  remoteParentSpanId: string | null;
  name: string;
  /** OpenInference span kind (`openinference.span.kind`), e.g. AGENT, LLM; null if unset. */
  spanKind: string | null;
  startTimeMs: number;
  endTimeMs: number;
  durationMs: number;
  statusCode: SpanStatusName;
  statusMessage: string | null;
  projectName: string | null;
  sessionId: string | null;
  inputValue: string | null;
  outputValue: string | null;
  llmTokenCountTotal: number | null;
  llmCostTotal: number | null;
  attributes: StoredAttributes;
  events: StoredSpanEvent[];
}

/** Named parameters of the INSERT statement in trace-log.ts. */
export interface SpanRowParams {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  remote_parent_span_id: string | null;
  name: string;
  span_kind: string | null;
  start_time_ms: number;
  end_time_ms: number;
  duration_ms: number;
  status_code: SpanStatusName;
  status_message: string | null;
  project_name: string | null;
  session_id: string | null;
  llm_token_count_total: number | null;
  llm_cost_total: number | null;
  input_value: string | null;
  output_value: string | null;
  attributes: string;
  events: string;
}

export const SPAN_COLUMNS = [
  "trace_id",
  "span_id",
  "parent_span_id",
  "remote_parent_span_id",
  "name",
  "span_kind",
  "start_time_ms",
  "end_time_ms",
  "duration_ms",
  "status_code",
  "status_message",
  "project_name",
  "session_id",
  "llm_token_count_total",
  "llm_cost_total",
  "input_value",
  "output_value",
  "attributes",
  "events",
] as const satisfies readonly (keyof SpanRowParams)[];

function statusName(code: SpanStatusCode): SpanStatusName {
  if (code === SpanStatusCode.OK) return "OK";
  if (code === SpanStatusCode.ERROR) return "ERROR";
  return "UNSET";
}

function stringAttribute(attributes: Attributes, key: string): string | null {
  const value = attributes[key];
  return typeof value === "string" ? value : null;
}

function integerAttribute(attributes: Attributes, key: string): number | null {
  const value = attributes[key];
  return typeof value === "number" && Number.isSafeInteger(value) ? value : null;
}

function finiteAttribute(attributes: Attributes, key: string): number | null {
  const value = attributes[key];
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

/** The defined attributes only: OTel allows `undefined` values, which mean "absent". */
function definedAttributes(attributes: Attributes | undefined): Attributes {
  const defined: Attributes = {};
  for (const [key, value] of Object.entries(attributes ?? {})) {
    if (value !== undefined) defined[key] = value;
  }
  return defined;
}

export function spanToRow(span: ReadableSpan): SpanRowParams {
  const context = span.spanContext();
  const parent = span.parentSpanContext;
  const attributes = span.attributes;
  return {
    trace_id: context.traceId,
    span_id: context.spanId,
    parent_span_id: parent && !parent.isRemote ? parent.spanId : null,
    remote_parent_span_id: parent?.isRemote ? parent.spanId : null,
    name: span.name,
    span_kind: stringAttribute(attributes, SemanticConventions.OPENINFERENCE_SPAN_KIND),
    start_time_ms: hrTimeToMilliseconds(span.startTime),
    end_time_ms: hrTimeToMilliseconds(span.endTime),
    duration_ms: hrTimeToMilliseconds(span.duration),
    status_code: statusName(span.status.code),
    status_message: span.status.message || null,
    project_name: stringAttribute(span.resource.attributes, SEMRESATTRS_PROJECT_NAME),
    session_id: stringAttribute(attributes, SemanticConventions.SESSION_ID),
    llm_token_count_total: integerAttribute(attributes, SemanticConventions.LLM_TOKEN_COUNT_TOTAL),
    llm_cost_total: finiteAttribute(attributes, SemanticConventions.LLM_COST_TOTAL),
    input_value: stringAttribute(attributes, SemanticConventions.INPUT_VALUE),
    output_value: stringAttribute(attributes, SemanticConventions.OUTPUT_VALUE),
    attributes: JSON.stringify(definedAttributes(attributes)),
    events: JSON.stringify(
      span.events.map((event) => ({
        name: event.name,
        timeMs: hrTimeToMilliseconds(event.time),
        attributes: definedAttributes(event.attributes),
      })),
    ),
  };
}

const scalarSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const storedAttributesSchema = z.record(z.string(), z.union([scalarSchema, z.array(scalarSchema)]));
const storedEventsSchema = z.array(z.object({ name: z.string(), timeMs: z.number(), attributes: storedAttributesSchema }));

const nullableString = z.string().nullable();
const nullableNumber = z.number().nullable();

const spanRowSchema = z.object({
  trace_id: z.string(),
  span_id: z.string(),
  parent_span_id: nullableString,
  remote_parent_span_id: nullableString,
  name: z.string(),
  span_kind: nullableString,
  start_time_ms: z.number(),
  end_time_ms: z.number(),
  duration_ms: z.number(),
  status_code: z.enum(SPAN_STATUS_NAMES),
  status_message: nullableString,
  project_name: nullableString,
  session_id: nullableString,
  llm_token_count_total: nullableNumber,
  llm_cost_total: nullableNumber,
  input_value: nullableString,
  output_value: nullableString,
  attributes: z.string(),
  events: z.string(),
});

function parseJsonColumn<T>(schema: z.ZodType<T>, text: string, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AppError("trace_log_failed", `trace log ${what} is not valid JSON`, { cause: error });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new AppError("trace_log_failed", `trace log ${what} has an unexpected shape`);
  return parsed.data;
}

export function rowToStoredSpan(row: unknown): StoredSpan {
  const parsed = spanRowSchema.safeParse(row);
  if (!parsed.success) {
    throw new AppError("trace_log_failed", `unexpected span row in the trace log: ${parsed.error.issues[0]?.message ?? ""}`);
  }
  const r = parsed.data;
  return {
    traceId: r.trace_id,
    spanId: r.span_id,
    parentSpanId: r.parent_span_id,
    remoteParentSpanId: r.remote_parent_span_id,
    name: r.name,
    spanKind: r.span_kind,
    startTimeMs: r.start_time_ms,
    endTimeMs: r.end_time_ms,
    durationMs: r.duration_ms,
    statusCode: r.status_code,
    statusMessage: r.status_message,
    projectName: r.project_name,
    sessionId: r.session_id,
    inputValue: r.input_value,
    outputValue: r.output_value,
    llmTokenCountTotal: r.llm_token_count_total,
    llmCostTotal: r.llm_cost_total,
    attributes: parseJsonColumn(storedAttributesSchema, r.attributes, `attributes of span ${r.span_id}`),
    events: parseJsonColumn(storedEventsSchema, r.events, `events of span ${r.span_id}`),
  };
}
