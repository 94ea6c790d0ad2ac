import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import {
  AggregationTemporality,
  AggregationType,
  type AggregationOption,
  type InstrumentType,
  type PushMetricExporter,
  type ResourceMetrics,
} from "@opentelemetry/sdk-metrics";
import { ExportOutageCounter, type ExportStats } from "../export-outage";

/**
 * Wraps the OTLP metric exporter so a collector outage is a counter and one warning, not an
 * error logged every export interval: metrics are cumulative, so the next export that gets
 * through carries everything the failed ones would have. Counts are export rounds.
 */
export class GuardedMetricExporter implements PushMetricExporter {
  private readonly outage: ExportOutageCounter;

  constructor(
    private readonly inner: PushMetricExporter,
    destination: string,
    warn: (message: string) => void = (m) => console.warn(m),
  ) {
    this.outage = new ExportOutageCounter(
      warn,
      (error) => `[metrics] the OTLP metrics endpoint ${destination} is not reachable (${error}); retrying every interval.`,
    );
  }

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    const done = (result: ExportResult) => {
      this.outage.record(1, result);
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
    return this.outage.stats();
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
