import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";

import { ExportOutageCounter, type ExportStats } from "./export-outage";

export type { ExportStats };

/** How the outage warning names the destination: Phoenix by default, any OTLP backend otherwise. */
export interface ExportDestination {
  /** "Phoenix", "the OTLP traces endpoint". */
  name: string;
  /** The sentence that says how to bring it back. */
  hint: string;
}

const PHOENIX: ExportDestination = { name: "Phoenix", hint: "Start it with `npm run phoenix`." };

/**
 * Wraps a span exporter (Phoenix's, a generic OTLP backend's) so an outage is a counter, not a
 * problem: a failed batch is dropped (the local trace log still has it), one warning is printed
 * per outage, and the next success clears it. The BatchSpanProcessor in front bounds the queue,
 * so memory stays flat however long the destination is down.
 */
export class GuardedSpanExporter implements SpanExporter {
  private readonly outage: ExportOutageCounter;

  constructor(
    private readonly inner: SpanExporter,
    destination: string,
    warn: (message: string) => void = (m) => console.warn(m),
    describe: ExportDestination = PHOENIX,
  ) {
    this.outage = new ExportOutageCounter(
      warn,
      (error) =>
        `[tracing] ${describe.name} at ${destination} is not reachable (${error}); ` +
        `dropping spans for it until it is (the local trace log keeps them). ${describe.hint}`,
    );
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    try {
      this.inner.export(spans, (result) => {
        this.outage.record(spans.length, result);
        // The batch is dropped on purpose and counted: reporting the failure upstream would
        // only make the batch processor's flush reject (failing a caller that flushes) and
        // log the same outage again through OpenTelemetry's error handler.
        resultCallback({ code: ExportResultCode.SUCCESS });
      });
    } catch (error) {
      this.outage.record(spans.length, { code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
      resultCallback({ code: ExportResultCode.SUCCESS });
    }
  }

  stats(): ExportStats {
    return this.outage.stats();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}
