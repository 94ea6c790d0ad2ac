import { context, trace, SpanStatusCode, type Attributes, type Context, type Span } from "@opentelemetry/api";
import { OITracer, type TraceConfig } from "@arizeai/openinference-core";
import { OpenInferenceSpanKind, SemanticConventions as SC } from "@arizeai/openinference-semantic-conventions";
import { activeTracing } from "./tracing-registry";

export { OpenInferenceSpanKind };

const TRACER_NAME = "rag-agent";

/**
 * The app's tracer for the spans it adds itself (AGENT root, EMBEDDING, RETRIEVER, prompt
 * assembly...). An OITracer with the pipeline's trace config, so OpenInference's privacy
 * switches mask these spans exactly as they mask the LangChain instrumentation's. Without a
 * registered provider it is a no-op; without a pipeline, OpenInference's defaults apply.
 */
let cached: { tracer: OITracer; traceConfig: TraceConfig | undefined } | undefined;

function appTracer(): OITracer {
  const traceConfig = activeTracing()?.traceConfig;
  if (!cached || cached.traceConfig !== traceConfig) {
    cached = { tracer: new OITracer({ tracer: trace.getTracer(TRACER_NAME), traceConfig }), traceConfig };
  }
  return cached.tracer;
}

export interface SpanOptions {
  kind: OpenInferenceSpanKind;
  attributes?: Attributes;
  /** Parent context; default: the active one. */
  parent?: Context;
  /** Start a new trace even if a span is active (the chat root ignores Next.js's HTTP span). */
  root?: boolean;
}

/**
 * Runs `fn` inside a new span that is active for everything `fn` awaits. The span ends when
 * `fn` settles; a throw marks it ERROR with the exception recorded, and is rethrown.
 */
export async function withSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  const parent = options.parent ?? context.active();
  const span = appTracer().startSpan(
    name,
    { attributes: { [SC.OPENINFERENCE_SPAN_KIND]: options.kind, ...options.attributes }, root: options.root },
    parent,
  );
  return context.with(trace.setSpan(parent, span), async () => {
    try {
      const result = await fn(span);
      span.setStatus({ code: SpanStatusCode.OK });
      return result;
    } catch (error) {
      markError(span, error);
      throw error;
    } finally {
      endQuietly(span);
    }
  });
}

/** Ends a span; whatever the span pipeline throws is telemetry's problem, never the request's. */
function endQuietly(span: Span): void {
  try {
    span.end();
  } catch (error) {
    console.warn(`[tracing] ending span failed: ${String(error)}`);
  }
}

/** Sets ERROR status with the exception recorded (for failures that are handled, not thrown). */
export function markError(span: Span, error: unknown, message?: string): void {
  const err = error instanceof Error ? error : new Error(String(error));
  span.recordException(err);
  span.setStatus({ code: SpanStatusCode.ERROR, message: message ?? err.message });
}

/** `input.value` / `output.value` with their MIME type: JSON for objects, text otherwise. */
export function ioAttributes(direction: "input" | "output", value: unknown): Attributes {
  const json = typeof value !== "string";
  const valueKey = direction === "input" ? SC.INPUT_VALUE : SC.OUTPUT_VALUE;
  const mimeKey = direction === "input" ? SC.INPUT_MIME_TYPE : SC.OUTPUT_MIME_TYPE;
  return { [valueKey]: json ? JSON.stringify(value) : value, [mimeKey]: json ? "application/json" : "text/plain" };
}
