import { describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";

describe("metrics configuration", () => {
  it("is on by default, with no OTLP push until an endpoint is set", () => {
    expect(loadConfig({}).metrics).toEqual({ enabled: true });
    expect(loadConfig({ METRICS: "off" }).metrics.enabled).toBe(false);
  });

  it("takes the metrics endpoint as is, before the base endpoint plus /v1/metrics", () => {
    const base = loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/" }).metrics.otlp;
    expect(base).toEqual({ url: "http://collector:4318/v1/metrics", headers: {}, intervalMs: 60_000, timeoutMs: 30_000 });
    const both = loadConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318",
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: "http://metrics:9090/api/v1/otlp/v1/metrics",
    });
    expect(both.metrics.otlp?.url).toBe("http://metrics:9090/api/v1/otlp/v1/metrics");
  });

  it("keeps the export timeout within the interval (the reader refuses a longer one)", () => {
    const otlp = loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_METRIC_EXPORT_INTERVAL: "500" }).metrics.otlp;
    expect(otlp).toMatchObject({ intervalMs: 500, timeoutMs: 500 });
  });

  it("names a malformed variable in the configuration error", () => {
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_METRICS_HEADERS: "no-equals-sign" })).toThrow(/OTEL_EXPORTER_OTLP_METRICS_HEADERS/);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_HEADERS: "k=%E0%A4%A" })).toThrow(/OTEL_EXPORTER_OTLP_HEADERS/);
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: "not a url" })).toThrow(/OTEL_EXPORTER_OTLP_METRICS_ENDPOINT/);
    expect(() => loadConfig({ OTEL_METRIC_EXPORT_INTERVAL: "0" })).toThrow(/OTEL_METRIC_EXPORT_INTERVAL/);
    expect(() => loadConfig({ METRICS: "maybe" })).toThrow(/METRICS/);
  });
});
