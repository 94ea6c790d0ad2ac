import type { Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { SemanticConventions } from "@arizeai/openinference-semantic-conventions";

/** True for spans written in OpenInference conventions (they carry a span kind). */
export function isOpenInferenceSpan(span: ReadableSpan): boolean {
  return typeof span.attributes[SemanticConventions.OPENINFERENCE_SPAN_KIND] === "string";
}

/**
 * Passes only OpenInference spans on. Next.js emits its own spans for every request (HTTP
 * server, rendering, route execution) once a tracer provider is registered; they are not
 * the product's traces and would bury them in Phoenix and the log.
 */
export class OpenInferenceOnlyProcessor implements SpanProcessor {
  constructor(private readonly inner: SpanProcessor) {}

  onStart(span: Span, parentContext: Context): void {
    this.inner.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    if (isOpenInferenceSpan(span)) this.inner.onEnd(span);
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}
