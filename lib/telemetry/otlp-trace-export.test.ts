import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { freePort } from "@/test-support/process/free-port";
import { startOtlpReceiver, type OtlpReceiver } from "@/test-support/metrics/otlp-receiver";
import { createTracingPipeline, type TracingPipeline } from "./tracing-pipeline";

// The vendor-neutral trace export as the app assembles it (createTracingPipeline), against an
// OTLP/HTTP receiver on 127.0.0.1. Protobuf keeps strings as UTF-8 and ids as raw bytes, so a
// span's name and its trace id can be found in the request body without decoding it.

const workDir = mkdtempSync(path.join(os.tmpdir(), "rag-otlp-traces-"));
const open: { pipeline?: TracingPipeline; receiver?: OtlpReceiver }[] = [];

afterEach(async () => {
  for (const { pipeline, receiver } of open.splice(0).reverse()) {
    await pipeline?.shutdown();
    await receiver?.close();
  }
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function start(env: Record<string, string>, warn?: (message: string) => void): TracingPipeline {
  const traceLog = path.join(workDir, `${open.length}-${Date.now()}.sqlite`);
  const config = loadConfig({ PHOENIX_EXPORT: "off", METRICS: "off", TRACE_LOG_PATH: traceLog, ...env });
  const pipeline = createTracingPipeline(config, { warn });
  open.push({ pipeline });
  return pipeline;
}

/** A chat root span (OpenInference) and a Next.js-style HTTP span (no span kind); returns the chat's trace id. */
function endSpans(pipeline: TracingPipeline): string {
  const tracer = new BasicTracerProvider({ spanProcessors: pipeline.processors }).getTracer("test");
  const chat = tracer.startSpan("chat", { root: true, attributes: { "openinference.span.kind": "AGENT", "input.value": "hello" } });
  chat.end();
  tracer
    .startSpan("POST /api/chat", { root: true, attributes: { "http.method": "POST", "next.span_type": "BaseServer.handleRequest" } })
    .end();
  return chat.spanContext().traceId;
}

async function receiverWithPipeline(env: Record<string, string>): Promise<{ receiver: OtlpReceiver; pipeline: TracingPipeline }> {
  const receiver = await startOtlpReceiver();
  open.push({ receiver });
  const pipeline = start({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces`, ...env });
  return { receiver, pipeline };
}

describe("OTLP trace export (OTEL_EXPORTER_OTLP_*)", () => {
  it("sends the OpenInference spans to the traces endpoint, with headers, and leaves Next.js's spans out", async () => {
    const { receiver, pipeline } = await receiverWithPipeline({ OTEL_EXPORTER_OTLP_TRACES_HEADERS: "x-honeycomb-team=abc%20def" });
    const traceId = endSpans(pipeline);
    await pipeline.flush();
    await receiver.waitFor((requests) => requests.length >= 1);
    const body = Buffer.concat(receiver.requests.map((r) => r.body));
    expect(receiver.requests[0]).toMatchObject({ path: "/v1/traces", contentType: "application/x-protobuf" });
    expect(receiver.requests[0]!.headers).toMatchObject({ "x-honeycomb-team": "abc def" });
    expect(body.includes(Buffer.from(traceId, "hex"))).toBe(true);
    expect(body.includes("chat")).toBe(true);
    expect(body.includes("POST /api/chat")).toBe(false);
    expect(pipeline.otlpStats()).toMatchObject({ exported: 1, dropped: 0 });
  });

  it("keeps Next.js's own spans for that backend with OTLP_EXPORT_NEXTJS_SPANS=on", async () => {
    const { receiver, pipeline } = await receiverWithPipeline({ OTLP_EXPORT_NEXTJS_SPANS: "on" });
    endSpans(pipeline);
    await pipeline.flush();
    await receiver.waitFor((requests) => requests.length >= 1);
    const body = Buffer.concat(receiver.requests.map((r) => r.body));
    expect(body.includes("POST /api/chat")).toBe(true);
    expect(pipeline.otlpStats()).toMatchObject({ exported: 2 });
  });

  it("writes the trace log before and regardless of the backend", async () => {
    const { pipeline } = await receiverWithPipeline({});
    const traceId = endSpans(pipeline);
    await pipeline.flush();
    expect((await pipeline.traceLog.rootSpan(traceId))?.name).toBe("chat");
  });

  it("treats a backend that is down as a counter and one warning: ending spans never waits, a flush never fails", async () => {
    const warnings: string[] = [];
    // A short timeout bounds the exporter's retries of the refused connection (the flush waits for them).
    const down = { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await freePort()}`, OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: "1000" };
    const pipeline = start(down, (m) => warnings.push(m));
    for (const batch of [1, 2]) {
      const started = performance.now();
      for (let i = 0; i < 3; i++) endSpans(pipeline);
      expect(performance.now() - started, `batch ${batch}`).toBeLessThan(100);
      await pipeline.flush();
    }
    expect(pipeline.otlpStats()).toMatchObject({ exported: 0, dropped: 6 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/OTLP traces endpoint at http:\/\/127\.0\.0\.1:\d+\/v1\/traces is not reachable/);
  }, 60_000);

  it("is off without an endpoint, or with OTEL_TRACES_EXPORTER=none", async () => {
    expect(start({}).otlpStats()).toBeUndefined();
    expect(start({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318", OTEL_TRACES_EXPORTER: "none" }).otlpStats()).toBeUndefined();
  });
});
