import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { BatchSpanProcessor, type SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { GuardedSpanExporter, type ExportStats } from "./guarded-exporter";
import { OpenInferenceOnlyProcessor } from "./openinference-only-processor";
import type { OtlpTracesConfig } from "./telemetry-backends-config";

export interface OtlpTraceExport {
  /** Batched and guarded; OpenInference spans only unless Next.js's own spans are kept. */
  processor: SpanProcessor;
  stats(): ExportStats;
}

/**
 * The vendor-neutral trace export (OTEL_EXPORTER_OTLP_*): the spans Phoenix gets, to any
 * OTLP/HTTP backend, behind the same guard as Phoenix's export. A backend that is down costs
 * a counter and one warning; chat never waits for it, since the batch processor exports off
 * the request path and drops what its bounded queue cannot hold.
 */
export function otlpTraceExport(config: OtlpTracesConfig, warn?: (message: string) => void): OtlpTraceExport {
  const exporter = new GuardedSpanExporter(
    new OTLPTraceExporter({ url: config.url, headers: config.headers, timeoutMillis: config.timeoutMs }),
    config.url,
    warn,
    { name: "The OTLP traces endpoint", hint: "Check OTEL_EXPORTER_OTLP_TRACES_ENDPOINT / OTEL_EXPORTER_OTLP_ENDPOINT." },
  );
  const batch = new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1_000, maxExportBatchSize: 512, maxQueueSize: 2_048 });
  return {
    // Next.js's HTTP and rendering spans are noise in Phoenix, but a generic APM backend
    // (Datadog, Tempo) shows request latency with them: kept there only when asked for.
    processor: config.keepNextjsSpans ? batch : new OpenInferenceOnlyProcessor(batch),
    stats: () => exporter.stats(),
  };
}
