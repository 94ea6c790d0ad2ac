import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-proto";
import { PrometheusExporter, PrometheusSerializer } from "@opentelemetry/exporter-prometheus";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { MeterProvider, PeriodicExportingMetricReader, type IMetricReader } from "@opentelemetry/sdk-metrics";
import type { ExportStats } from "../guarded-exporter";
import { GuardedMetricExporter } from "./guarded-metric-exporter";
import type { MetricsConfig } from "./metrics-env";
import { SpanMetricsProcessor } from "./span-metrics-processor";

/** The content type of Prometheus's text exposition format. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export interface MetricsPipeline {
  /** Goes among the span processors: it turns finished spans into metric recordings. */
  processor: SpanMetricsProcessor;
  /** The current metrics in Prometheus text format (what `GET /api/metrics` serves). */
  prometheusText(): Promise<string>;
  /** OTLP export rounds that went out and failed; undefined without an OTLP endpoint. */
  otlpStats(): ExportStats | undefined;
}

export interface MetricsPipelineOptions {
  config: MetricsConfig;
  resourceAttributes: Record<string, string>;
  knownModels: Iterable<string>;
  /** The meter's instrumentation scope name (`otel_scope_name` in the Prometheus output). */
  scopeName: string;
  warn?: (message: string) => void;
}

/**
 * A MeterProvider of the app's own (not the global one: what the app exposes stays what it
 * records), read two ways: pulled by `GET /api/metrics` through the Prometheus exporter as a
 * plain reader (its HTTP server never starts: Next.js serves the route), and pushed over OTLP
 * when an endpoint is configured. The processor's shutdown closes the provider, so whoever
 * shuts the tracer provider down (Next.js, a script) also sends the last OTLP round.
 */
export function createMetricsPipeline(options: MetricsPipelineOptions): MetricsPipeline {
  const prometheus = new PrometheusExporter({ preventServerStart: true });
  const serializer = new PrometheusSerializer();
  const readers: IMetricReader[] = [prometheus];
  const { otlp } = options.config;
  const pushed = otlp
    ? new GuardedMetricExporter(
        new OTLPMetricExporter({ url: otlp.url, headers: otlp.headers, timeoutMillis: otlp.timeoutMs }),
        otlp.url,
        options.warn,
      )
    : undefined;
  if (pushed && otlp) {
    readers.push(
      new PeriodicExportingMetricReader({
        exporter: pushed,
        exportIntervalMillis: otlp.intervalMs,
        exportTimeoutMillis: otlp.timeoutMs,
      }),
    );
  }
  const provider = new MeterProvider({ resource: resourceFromAttributes(options.resourceAttributes), readers });
  const processor = new SpanMetricsProcessor(provider.getMeter(options.scopeName), {
    knownModels: options.knownModels,
    onShutdown: () => provider.shutdown(),
    warn: options.warn,
  });
  return {
    processor,
    prometheusText: async () => {
      const { resourceMetrics } = await prometheus.collect();
      return serializer.serialize(resourceMetrics);
    },
    otlpStats: () => pushed?.stats(),
  };
}
