import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { freePort } from "@/test-support/process/free-port";
import { startOtlpReceiver, type OtlpReceiver } from "@/test-support/metrics/otlp-receiver";
import { parsePrometheusText, sample } from "@/test-support/metrics/prometheus-text";
import { createTracingPipeline, type TracingPipeline } from "../tracing-pipeline";

// The metrics as the app assembles them: inside the tracing pipeline (after the span
// transforms), scraped in Prometheus format, pushed over OTLP/HTTP to a receiver on 127.0.0.1.

const workDir = mkdtempSync(path.join(os.tmpdir(), "rag-metrics-"));
const open: { pipeline?: TracingPipeline; receiver?: OtlpReceiver }[] = [];

afterEach(async () => {
  // Newest first: a pipeline's last export goes out before its receiver closes.
  for (const { pipeline, receiver } of open.splice(0).reverse()) {
    await pipeline?.shutdown();
    await receiver?.close();
  }
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function start(env: Record<string, string> = {}, warn?: (message: string) => void): TracingPipeline {
  const config = loadConfig({ PHOENIX_EXPORT: "off", TRACE_LOG_PATH: path.join(workDir, `${open.length}-${Date.now()}.sqlite`), ...env });
  const pipeline = createTracingPipeline(config, { warn });
  open.push({ pipeline });
  return pipeline;
}

/** One model call as the LangChain instrumentation leaves it: tokens, no cost yet. */
function endLlmSpan(pipeline: TracingPipeline): void {
  const tracer = new BasicTracerProvider({ spanProcessors: pipeline.processors }).getTracer("test");
  const attributes = {
    "openinference.span.kind": "LLM",
    "llm.provider": "openai",
    "llm.model_name": "gpt-4o-mini",
    "llm.token_count.prompt": 1_000_000,
    "llm.token_count.completion": 1_000,
  };
  tracer.startSpan("ChatOpenAI", { attributes }).end();
}

describe("metrics in the tracing pipeline", () => {
  it("derive cost from the price table's transform, and serve it in Prometheus format", async () => {
    const pipeline = start();
    endLlmSpan(pipeline);
    const samples = parsePrometheusText(await pipeline.metrics!.prometheusText());
    const labels = { gen_ai_request_model: "gpt-4o-mini", gen_ai_provider_name: "openai" };
    // 1M prompt tokens at $0.15 and 1k completion tokens at $0.60 per 1M (data/prices.json).
    expect(sample(samples, "rag_llm_cost_total", labels).value).toBeCloseTo(0.15 + 0.0006, 9);
    expect(sample(samples, "gen_ai_client_token_usage_count", { ...labels, gen_ai_token_type: "output" }).value).toBe(1);
    expect(sample(samples, "target_info").labels).toMatchObject({ service_name: "rag-agent" });
  });

  it("are absent with METRICS=off", () => {
    expect(start({ METRICS: "off" }).metrics).toBeUndefined();
  });
});

describe("OTLP export of the metrics", () => {
  it("sends them to OTEL_EXPORTER_OTLP_METRICS_ENDPOINT every OTEL_METRIC_EXPORT_INTERVAL", async () => {
    const receiver = await startOtlpReceiver();
    open.push({ receiver });
    const pipeline = start({ OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${receiver.url}/v1/metrics`, OTEL_METRIC_EXPORT_INTERVAL: "200" });
    endLlmSpan(pipeline);
    // Protobuf keeps strings as UTF-8: the metric's name is readable in the body.
    await receiver.waitFor((requests) => requests.filter((r) => r.body.includes("gen_ai.client.token.usage")).length >= 2);
    expect(receiver.requests[0]).toMatchObject({ path: "/v1/metrics", contentType: "application/x-protobuf" });
    expect(pipeline.metrics!.otlpStats()).toMatchObject({ dropped: 0 });
    expect(pipeline.metrics!.otlpStats()!.exported).toBeGreaterThanOrEqual(2);
  });

  it("appends /v1/metrics to OTEL_EXPORTER_OTLP_ENDPOINT, and sends headers from OTEL_EXPORTER_OTLP_METRICS_HEADERS", async () => {
    const receiver = await startOtlpReceiver();
    open.push({ receiver });
    const pipeline = start({
      OTEL_EXPORTER_OTLP_ENDPOINT: `${receiver.url}/`,
      OTEL_EXPORTER_OTLP_HEADERS: "x-tenant=shared,x-api-key=general",
      OTEL_EXPORTER_OTLP_METRICS_HEADERS: "x-api-key=metrics%20only",
      OTEL_METRIC_EXPORT_INTERVAL: "200",
    });
    endLlmSpan(pipeline);
    await receiver.waitFor((requests) => requests.length >= 1);
    expect(receiver.requests[0]!.path).toBe("/v1/metrics");
    expect(receiver.requests[0]!.headers).toMatchObject({ "x-tenant": "shared", "x-api-key": "metrics only" });
  });

  it("treats a collector that is down as a counter and one warning, never an error in the app", async () => {
    const warnings: string[] = [];
    const pipeline = start(
      { OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `http://127.0.0.1:${await freePort()}/v1/metrics`, OTEL_METRIC_EXPORT_INTERVAL: "100" },
      (m) => warnings.push(m),
    );
    endLlmSpan(pipeline);
    const deadline = Date.now() + 10_000;
    while ((pipeline.metrics!.otlpStats()?.dropped ?? 0) < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(pipeline.metrics!.otlpStats()!.dropped).toBeGreaterThanOrEqual(3);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/OTLP metrics endpoint .* is not reachable/);
    // Scraping is independent of the push.
    expect(await pipeline.metrics!.prometheusText()).toContain("gen_ai_client_token_usage_count");
  });
});
