import { z } from "zod";
import { intInRange, onOffSwitch, optionalString, withDefault } from "../../validation/env-values";

export interface MetricsConfig {
  /** METRICS (default on). Metrics are derived from spans, so they also need TRACING on. */
  enabled: boolean;
  /** Push over OTLP/HTTP (protobuf); absent unless an OTLP endpoint variable is set. */
  otlp?: { url: string; headers: Record<string, string>; intervalMs: number; timeoutMs: number };
}

/** OpenTelemetry's `key1=value1,key2=value2` header list, values URL-encoded (the metric and trace exports read it). */
export const headerList = optionalString.transform((value, ctx) => {
  const headers: Record<string, string> = {};
  for (const pair of (value ?? "").split(",")) {
    if (pair.trim() === "") continue;
    const at = pair.indexOf("=");
    const key = at > 0 ? pair.slice(0, at).trim() : "";
    const decoded = key ? decodeOrUndefined(pair.slice(at + 1).trim()) : undefined;
    if (decoded === undefined) {
      ctx.addIssue({ code: "custom", message: "must be a list of key=value pairs separated by commas, values URL-encoded" });
      return z.NEVER;
    }
    headers[key] = decoded;
  }
  return headers;
});

function decodeOrUndefined(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/**
 * The metrics variables: the app's on/off switch and OpenTelemetry's standard OTLP metric
 * variables, read here (not by the exporter from the environment) so they are validated with
 * the rest of the configuration.
 */
export const metricsEnvSchema = z
  .object({
    METRICS: onOffSwitch("on"),
    /** Used as is (…/v1/metrics), per the OTLP exporter specification. */
    OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: withDefault(z.url().optional()),
    /** A base URL for every signal: metrics go to `<base>/v1/metrics`. */
    OTEL_EXPORTER_OTLP_ENDPOINT: withDefault(z.url().optional()),
    OTEL_EXPORTER_OTLP_METRICS_HEADERS: headerList,
    OTEL_EXPORTER_OTLP_HEADERS: headerList,
    OTEL_METRIC_EXPORT_INTERVAL: intInRange(100, 86_400_000, 60_000),
    OTEL_METRIC_EXPORT_TIMEOUT: intInRange(100, 600_000, 30_000),
  })
  .transform((e): MetricsConfig => {
    const url =
      e.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT ??
      (e.OTEL_EXPORTER_OTLP_ENDPOINT ? `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, "")}/v1/metrics` : undefined);
    if (!url) return { enabled: e.METRICS };
    return {
      enabled: e.METRICS,
      otlp: {
        url,
        headers: { ...e.OTEL_EXPORTER_OTLP_HEADERS, ...e.OTEL_EXPORTER_OTLP_METRICS_HEADERS },
        intervalMs: e.OTEL_METRIC_EXPORT_INTERVAL,
        // The reader refuses a timeout longer than the interval.
        timeoutMs: Math.min(e.OTEL_METRIC_EXPORT_TIMEOUT, e.OTEL_METRIC_EXPORT_INTERVAL),
      },
    };
  });
