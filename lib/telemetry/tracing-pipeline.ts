import { hiddenIoTransform } from "./hidden-io-transform";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { TraceConfig } from "@arizeai/openinference-core";
import { SEMRESATTRS_PROJECT_NAME } from "@arizeai/openinference-semantic-conventions";
import type { AppConfig } from "../config";
import { loadPriceTable, type PriceTable } from "../pricing/price-table";
import { buildInfo } from "./build-info";
import { GuardedSpanExporter, type ExportStats } from "./guarded-exporter";
import { llmCostTransform } from "./llm-cost";
import { createMetricsPipeline, type MetricsPipeline } from "./metrics/metrics-pipeline";
import { OpenInferenceOnlyProcessor } from "./openinference-only-processor";
import { otlpTraceExport } from "./otlp-trace-export";
import { PhoenixClient } from "./phoenix-client";
import { secretRedactionTransform } from "./secret-redaction";
import { TransformingSpanProcessor } from "./span-transform";
import { SqliteSpanExporter } from "./trace-log/sqlite-span-exporter";
import { openTraceStore } from "./trace-log/trace-store-backend";
import type { TraceStore } from "./trace-log/trace-store";

export const SERVICE_NAME = "rag-agent";

export interface TracingPipeline {
  /** Enrich, redact, then export: to Phoenix and any OTLP backend (batched, guarded) and to the trace log (as each span ends; batched on PostgreSQL). */
  processors: SpanProcessor[];
  resourceAttributes: Record<string, string>;
  /** OpenInference's trace config, every flag set (the instrumentation reads none from the environment). */
  traceConfig: TraceConfig;
  /** The trace log: the SQLite file, or PostgreSQL when DATABASE_URL is set. */
  traceLog: TraceStore;
  /** The metrics derived from the spans (`GET /api/metrics`, OTLP); absent with METRICS=off. */
  metrics?: MetricsPipeline;
  /** Phoenix's REST API (feedback annotations); absent when export is off. */
  phoenix?: PhoenixClient;
  /** The trace's page in Phoenix's UI; undefined when export is off. */
  traceUrl(traceId: string): string | undefined;
  phoenixStats(): ExportStats;
  /** The generic OTLP backend's export (OTEL_EXPORTER_OTLP_*); undefined when none is configured. */
  otlpStats(): ExportStats | undefined;
  /** Spans written to the trace log and lost (a write outage), with the error while it lasts. */
  traceLogStats(): ExportStats;
  /** Pushes every finished span out (tests, eval runs, shutdown). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Everything a tracer provider needs, independent of who registers it: Next.js registers it
 * through `@vercel/otel` (instrumentation.ts), scripts through `startNodeTracing`.
 */
export function createTracingPipeline(config: AppConfig, options: { warn?: (message: string) => void } = {}): TracingPipeline {
  const { tracing } = config;
  const prices = loadPriceTable(tracing.priceTablePath);
  const build = buildInfo({ appVersion: tracing.appVersion, gitSha: tracing.gitSha });
  const traceLog = openTraceStore(config);
  const logExporter = new SqliteSpanExporter(traceLog, { retentionDays: tracing.log.retentionDays, maxBytes: tracing.log.maxBytes });
  // The SQLite log is written as each span ends (a synchronous insert of well under a
  // millisecond), so nothing waits in a buffer: feedback and curation see a request as soon as
  // it ends, and a server stopped right after a turn has logged all of it (Next.js ends the
  // process with process.exit, where no asynchronous flush can run). PostgreSQL is a network
  // round trip per write: batched.
  const logProcessor = config.database
    ? new BatchSpanProcessor(logExporter, { scheduledDelayMillis: 250, maxExportBatchSize: 256, maxQueueSize: 4096 })
    : new SimpleSpanProcessor(logExporter);

  const phoenix = tracing.phoenix.export ? phoenixExporter(tracing.phoenix, options.warn) : undefined;
  const exportProcessors: SpanProcessor[] = [logProcessor];
  if (phoenix) {
    exportProcessors.unshift(
      new BatchSpanProcessor(phoenix, { scheduledDelayMillis: 1_000, maxExportBatchSize: 512, maxQueueSize: 2_048 }),
    );
  }

  const resourceAttributes = {
    "service.name": SERVICE_NAME,
    // The project Phoenix files the spans under.
    [SEMRESATTRS_PROJECT_NAME]: tracing.phoenix.projectName,
    "service.version": build.appVersion,
    "vcs.revision": build.gitSha,
  };
  const metrics = spanMetrics(config, prices, resourceAttributes, options.warn);
  const otlp = config.otlpTraces ? otlpTraceExport(config.otlpTraces, options.warn) : undefined;

  const processors: SpanProcessor[] = [
    new TransformingSpanProcessor(
      [
        llmCostTransform(prices),
        hiddenIoTransform(tracing.privacy),
        secretRedactionTransform([config.llm.openai.apiKey, config.evalJudge.apiKey, tracing.phoenix.apiKey]),
      ],
      // Metrics read the transformed span (cost filled in); the processor skips non-OpenInference spans itself.
      [
        ...exportProcessors.map((p) => new OpenInferenceOnlyProcessor(p)),
        ...(otlp ? [otlp.processor] : []),
        ...(metrics ? [metrics.processor] : []),
      ],
    ),
  ];

  return {
    processors,
    resourceAttributes,
    metrics,
    traceConfig: tracing.privacy,
    traceLog,
    phoenix: phoenix
      ? new PhoenixClient({ baseUrl: tracing.phoenix.endpoint, apiKey: tracing.phoenix.apiKey, timeoutMs: 5_000 })
      : undefined,
    traceUrl: (traceId) => (phoenix ? phoenixTraceUrl(tracing.phoenix.uiUrl, traceId) : undefined),
    phoenixStats: () => phoenix?.stats() ?? { exported: 0, dropped: 0 },
    otlpStats: () => otlp?.stats(),
    traceLogStats: () => logExporter.stats(),
    flush: async () => {
      // A destination that is down must not fail the caller (feedback, an eval run).
      await Promise.allSettled(processors.map((p) => p.forceFlush()));
    },
    shutdown: async () => {
      await Promise.all(processors.map((p) => p.shutdown()));
      await traceLog.close();
    },
  };
}

/** Phoenix's OTLP receiver, guarded: a Phoenix that is down is a counter and one warning. */
function phoenixExporter(phoenix: AppConfig["tracing"]["phoenix"], warn: ((message: string) => void) | undefined): GuardedSpanExporter {
  return new GuardedSpanExporter(
    new OTLPTraceExporter({
      url: `${phoenix.endpoint}/v1/traces`,
      headers: phoenix.apiKey ? { authorization: `Bearer ${phoenix.apiKey}` } : {},
      timeoutMillis: 5_000,
    }),
    phoenix.endpoint,
    warn,
  );
}

/**
 * The metrics derived from the spans, unless METRICS=off. Model names are kept as they are when
 * priced or configured; any other is bucketed.
 */
function spanMetrics(
  config: AppConfig,
  prices: PriceTable,
  resourceAttributes: Record<string, string>,
  warn: ((message: string) => void) | undefined,
): MetricsPipeline | undefined {
  if (!config.metrics.enabled) return undefined;
  const configured = [config.llm.openai.model, config.llm.local.model, config.evalJudge.model];
  return createMetricsPipeline({
    config: config.metrics,
    resourceAttributes,
    knownModels: [...Object.keys(prices.data.models), ...configured.filter((m): m is string => Boolean(m))],
    scopeName: SERVICE_NAME,
    warn,
  });
}

/** Phoenix resolves a trace id to its project's trace page (`/redirects/traces/:trace_otel_id`). */
export function phoenixTraceUrl(uiUrl: string, traceId: string): string {
  return `${uiUrl}/redirects/traces/${encodeURIComponent(traceId)}`;
}
