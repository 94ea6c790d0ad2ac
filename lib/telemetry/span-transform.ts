import type { Attributes, Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor, TimedEvent } from "@opentelemetry/sdk-trace-base";

/** What a transform changes on a finished span: attributes to set, events to replace. */
export interface SpanPatch {
  attributes?: Attributes;
  events?: TimedEvent[];
}

export type SpanTransform = (span: ReadableSpan) => SpanPatch | undefined;

/**
 * Applies transforms to each finished span, then hands the result to the exporting
 * processors. Works on the finished span (`onEnd`) rather than the ending one (`onEnding`):
 * `@vercel/otel` bundles an SDK whose spans never call `onEnding`. A finished span is
 * read-only, so a patched span is a view over it with the new attributes/events.
 */
export class TransformingSpanProcessor implements SpanProcessor {
  constructor(
    private readonly transforms: SpanTransform[],
    private readonly downstream: SpanProcessor[],
  ) {}

  onStart(span: Span, parentContext: Context): void {
    for (const p of this.downstream) p.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    let out = span;
    for (const transform of this.transforms) {
      const patch = transform(out);
      if (patch) out = patched(out, patch);
    }
    for (const p of this.downstream) p.onEnd(out);
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.downstream.map((p) => p.forceFlush()));
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.downstream.map((p) => p.shutdown()));
  }
}

function patched(span: ReadableSpan, patch: SpanPatch): ReadableSpan {
  const overrides: PropertyDescriptorMap = {};
  if (patch.attributes) overrides.attributes = { value: { ...span.attributes, ...patch.attributes }, enumerable: true };
  if (patch.events) overrides.events = { value: patch.events, enumerable: true };
  // Everything else (spanContext(), times, resource...) is read through the prototype.
  return Object.create(span, overrides) as ReadableSpan;
}
