import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";

export interface ExportStats {
  exported: number;
  dropped: number;
  /** The last export error, while the destination is failing. */
  lastError?: string;
}

/**
 * Wraps the Phoenix exporter so an outage is a counter, not a problem: a failed batch is
 * dropped (the local trace log still has it), one warning is printed per outage, and the
 * next success clears it. The BatchSpanProcessor in front bounds the queue, so memory stays
 * flat however long Phoenix is down.
 */
export class GuardedSpanExporter implements SpanExporter {
  private readonly counts: ExportStats = { exported: 0, dropped: 0 };
  private warned = false;

  constructor(
    private readonly inner: SpanExporter,
    private readonly destination: string,
    private readonly warn: (message: string) => void = (m) => console.warn(m),
  ) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    try {
      this.inner.export(spans, (result) => {
        this.record(spans.length, result);
        // The batch is dropped on purpose and counted: reporting the failure upstream would
        // only make the batch processor's flush reject (failing a caller that flushes) and
        // log the same outage again through OpenTelemetry's error handler.
        resultCallback({ code: ExportResultCode.SUCCESS });
      });
    } catch (error) {
      this.record(spans.length, { code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
      resultCallback({ code: ExportResultCode.SUCCESS });
    }
  }

  stats(): ExportStats {
    return { ...this.counts };
  }

  private record(count: number, result: ExportResult): void {
    if (result.code === ExportResultCode.SUCCESS) {
      this.counts.exported += count;
      this.counts.lastError = undefined;
      this.warned = false;
      return;
    }
    this.counts.dropped += count;
    this.counts.lastError = result.error?.message ?? "export failed";
    if (!this.warned) {
      this.warned = true;
      this.warn(
        `[tracing] Phoenix at ${this.destination} is not reachable (${this.counts.lastError}); ` +
          "dropping spans for it until it is (the local trace log keeps them). Start it with `npm run phoenix`.",
      );
    }
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}
