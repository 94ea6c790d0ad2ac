import { describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";

describe("the OTLP traces backend (OTEL_EXPORTER_OTLP_*)", () => {
  it("is absent unless an endpoint is set", () => {
    expect(loadConfig({}).otlpTraces).toBeUndefined();
  });

  it("uses the traces endpoint as is, else appends /v1/traces to the base endpoint", () => {
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/" }).otlpTraces?.url).toBe("http://collector:4318/v1/traces");
    const both = {
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318",
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://api.honeycomb.io/v1/traces",
    };
    expect(loadConfig(both).otlpTraces?.url).toBe("https://api.honeycomb.io/v1/traces");
    // The base endpoint is shared with the metrics push.
    expect(loadConfig(both).metrics.otlp?.url).toBe("http://collector:4318/v1/metrics");
  });

  it("merges the headers (the traces ones win per key), reads the timeout, and keeps Next.js's spans out by default", () => {
    const otlp = loadConfig({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://c:4318/v1/traces",
      OTEL_EXPORTER_OTLP_HEADERS: "x-tenant=shared,dd-api-key=general",
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: "dd-api-key=traces%20only",
      OTEL_EXPORTER_OTLP_TIMEOUT: "3000",
    }).otlpTraces;
    expect(otlp).toEqual({
      url: "http://c:4318/v1/traces",
      headers: { "x-tenant": "shared", "dd-api-key": "traces only" },
      timeoutMs: 3000,
      keepNextjsSpans: false,
    });
    const traces = {
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318",
      OTEL_EXPORTER_OTLP_TIMEOUT: "3000",
      OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: "500",
    };
    expect(loadConfig(traces).otlpTraces?.timeoutMs).toBe(500);
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318" }).otlpTraces?.timeoutMs).toBe(10_000);
    expect(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTLP_EXPORT_NEXTJS_SPANS: "on" }).otlpTraces?.keepNextjsSpans).toBe(
      true,
    );
  });

  it("is off with OTEL_TRACES_EXPORTER=none, while the metrics still use the endpoint", () => {
    const config = loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_TRACES_EXPORTER: "none" });
    expect(config.otlpTraces).toBeUndefined();
    expect(config.metrics.otlp?.url).toBe("http://c:4318/v1/metrics");
  });

  it("refuses what it cannot send: gRPC or JSON, a bad URL, a malformed header list", () => {
    const base = { OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318" };
    expect(() => loadConfig({ ...base, OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" })).toThrow(/OTEL_EXPORTER_OTLP_PROTOCOL.*http\/protobuf/);
    expect(() => loadConfig({ ...base, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http/json" })).toThrow(/OTEL_EXPORTER_OTLP_TRACES_PROTOCOL/);
    expect(loadConfig({ ...base, OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf" }).otlpTraces).toBeDefined();
    expect(() => loadConfig({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "not a url" })).toThrow(/OTEL_EXPORTER_OTLP_TRACES_ENDPOINT/);
    expect(() => loadConfig({ ...base, OTEL_EXPORTER_OTLP_TRACES_HEADERS: "no-equals" })).toThrow(/OTEL_EXPORTER_OTLP_TRACES_HEADERS/);
    expect(() => loadConfig({ ...base, OTEL_TRACES_EXPORTER: "jaeger" })).toThrow(/OTEL_TRACES_EXPORTER/);
  });
});

describe("Phoenix on PostgreSQL (PHOENIX_SQL_DATABASE_URL)", () => {
  it("is absent unless the URL is set; the schema defaults to phoenix", () => {
    expect(loadConfig({}).phoenixDatabase).toBeUndefined();
    expect(loadConfig({ PHOENIX_SQL_DATABASE_URL: "postgresql://u:p@db:5432/rag" }).phoenixDatabase).toEqual({
      url: "postgresql://u:p@db:5432/rag",
      schema: "phoenix",
    });
    const own = { PHOENIX_SQL_DATABASE_URL: "postgres://db/phoenix", PHOENIX_SQL_DATABASE_SCHEMA: "observability" };
    expect(loadConfig(own).phoenixDatabase?.schema).toBe("observability");
  });

  it("refuses a schema of the app's own tables, a non-identifier, and a URL that is not PostgreSQL", () => {
    const url = { PHOENIX_SQL_DATABASE_URL: "postgresql://db/rag" };
    for (const schema of ["public", "trace_log", "review"]) {
      expect(() => loadConfig({ ...url, PHOENIX_SQL_DATABASE_SCHEMA: schema })).toThrow(/PHOENIX_SQL_DATABASE_SCHEMA.*app's schemas/);
    }
    expect(() => loadConfig({ ...url, PHOENIX_SQL_DATABASE_SCHEMA: "x; DROP TABLE spans" })).toThrow(/PHOENIX_SQL_DATABASE_SCHEMA/);
    expect(() => loadConfig({ PHOENIX_SQL_DATABASE_URL: "sqlite:///tmp/phoenix.db" })).toThrow(/PHOENIX_SQL_DATABASE_URL/);
  });
});
