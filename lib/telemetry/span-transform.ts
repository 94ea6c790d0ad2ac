import { diag, type Attributes, type Context } from "@opentelemetry/api";
import type { ReadableSpan, Span, SpanProcessor, TimedEvent } from "@opentelemetry/sdk-trace-base";

/** What a transform changes on a finished span: attributes to set, events to replace. */
export interface SpanPatch {
  attributes?: Attributes;
  events?: TimedEvent[];
}

/** `mustSucceed`: a span the transform fails on is dropped, never exported without it (secret redaction). */
export type SpanTransform = ((span: ReadableSpan) => SpanPatch | undefined) & { readonly mustSucceed?: boolean };

/** Marks a transform whose failure must drop the span rather than let it through untransformed. */
export function mustSucceed(transform: (span: ReadableSpan) => SpanPatch | undefined): SpanTransform {
  return Object.assign((span: ReadableSpan) => transform(span), { mustSucceed: true });
}

export interface TransformFailures {
  /** Transforms that threw (the span went on without that transform). */
  skipped: number;
  /** Spans dropped because a must-succeed transform threw on them. */
  dropped: number;
}

/**
 * Applies transforms to each finished span, then hands the result to the exporting
 * processors. Works on the finished span (`onEnd`) rather than the ending one (`onEnding`):
 * `@vercel/otel` bundles an SDK whose spans never call `onEnding`. A finished span is
 * read-only, so a patched span is a view over it with the new attributes/events.
 *
 * Telemetry never breaks the app (OpenTelemetry's promise; OpenInference's `withSafety`): a
 * transform that throws is skipped for that span, or drops the span when it must succeed, and
 * never throws out of `span.end()` into the request that ended it.
 */
export class TransformingSpanProcessor implements SpanProcessor {
  readonly failures: TransformFailures = { skipped: 0, dropped: 0 };
  private warned = false;

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
      try {
        const patch = transform(out);
        if (patch) out = patched(out, patch);
      } catch (error) {
        this.failed(span, error, transform.mustSucceed === true);
        if (transform.mustSucceed) return;
      }
    }
    for (const p of this.downstream) {
      try {
        p.onEnd(out);
      } catch (error) {
        diag.warn(`span processor failed on span ${span.name}: ${String(error)}`);
      }
    }
  }

  private failed(span: ReadableSpan, error: unknown, dropped: boolean): void {
    if (dropped) this.failures.dropped++;
    else this.failures.skipped++;
    // Once per process: a transform that fails on one span fails on thousands.
    if (this.warned) return;
    this.warned = true;
    console.warn(`[tracing] a span transform failed on ${span.name} (${dropped ? "span dropped" : "transform skipped"}): ${String(error)}`);
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
