import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import {
  AggregationTemporality,
  AggregationType,
  type AggregationOption,
  type InstrumentType,
  type PushMetricExporter,
  type ResourceMetrics,
} from "@opentelemetry/sdk-metrics";
import type { ExportStats } from "../guarded-exporter";

/**
 * Wraps the OTLP metric exporter so a collector outage is a counter and one warning, not an
 * error logged every export interval: metrics are cumulative, so the next export that gets
 * through carries everything the failed ones would have. Counts are export rounds.
 */
export class GuardedMetricExporter implements PushMetricExporter {
  private readonly counts: ExportStats = { exported: 0, dropped: 0 };
  private warned = false;

  constructor(
    private readonly inner: PushMetricExporter,
    private readonly destination: string,
    private readonly warn: (message: string) => void = (m) => console.warn(m),
  ) {}

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    const done = (result: ExportResult) => {
      this.record(result);
      // Reported as a success: the reader would otherwise log the same outage at every interval.
      resultCallback({ code: ExportResultCode.SUCCESS });
    };
    try {
      this.inner.export(metrics, done);
    } catch (error) {
      done({ code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }

  stats(): ExportStats {
    return { ...this.counts };
  }

  private record(result: ExportResult): void {
    if (result.code === ExportResultCode.SUCCESS) {
      this.counts.exported++;
      this.counts.lastError = undefined;
      this.warned = false;
      return;
    }
    this.counts.dropped++;
    this.counts.lastError = result.error?.message ?? "export failed";
    if (this.warned) return;
    this.warned = true;
    this.warn(
      `[metrics] the OTLP metrics endpoint ${this.destination} is not reachable (${this.counts.lastError}); retrying every interval.`,
    );
  }

  selectAggregationTemporality(instrumentType: InstrumentType): AggregationTemporality {
    // Cumulative unless the exporter says otherwise (OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE).
    return this.inner.selectAggregationTemporality?.(instrumentType) ?? AggregationTemporality.CUMULATIVE;
  }

  selectAggregation(instrumentType: InstrumentType): AggregationOption {
    return this.inner.selectAggregation?.(instrumentType) ?? { type: AggregationType.DEFAULT };
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}
