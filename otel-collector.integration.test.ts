import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { SpanStatusCode } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnServer, type ServerProcess } from "@/lib/telemetry/server-process";
import { startOtlpReceiver, type OtlpReceiver } from "@/test-support/metrics/otlp-receiver";
import { freePort } from "@/test-support/process/free-port";

// deploy/otel-collector.yaml in a real OpenTelemetry Collector. None can be installed here as a
// binary: build one from deploy/otelcol (`cd deploy/otelcol && go build -o /tmp/otelcol .`) and
// set OTELCOL_BIN=/tmp/otelcol; without it this file is skipped. Only the listening addresses,
// the decision wait (130 s → 2 s) and the batch timeout are changed for the test.

const bin = process.env.OTELCOL_BIN;
const workDir = mkdtempSync(path.join(os.tmpdir(), "otelcol-"));
let backend: OtlpReceiver;
let collector: ServerProcess;
let endpoint: string;

function testConfig(http: number, grpc: number): string {
  const edits: [string, string][] = [
    ["decision_wait: 130s", "decision_wait: 2s"],
    ["timeout: 5s", "timeout: 200ms"],
    ["0.0.0.0:4318", `127.0.0.1:${http}`],
    ["0.0.0.0:4317", `127.0.0.1:${grpc}`],
    // The Collector's own metrics would listen on a fixed port (8888).
    ["service:\n  pipelines:", "service:\n  telemetry:\n    metrics:\n      level: none\n  pipelines:"],
  ];
  return edits.reduce(
    (text, [from, to]) => {
      if (!text.includes(from)) throw new Error(`deploy/otel-collector.yaml no longer has "${from}"`);
      return text.replace(from, to);
    },
    readFileSync("deploy/otel-collector.yaml", "utf8"),
  );
}

beforeAll(async () => {
  if (!bin) return;
  backend = await startOtlpReceiver();
  const [http, grpc] = [await freePort(), await freePort()];
  const config = path.join(workDir, "config.yaml");
  writeFileSync(config, testConfig(http, grpc));
  collector = spawnServer(bin, [`--config=${config}`], {
    cwd: workDir,
    env: { ...process.env, OTLP_BACKEND_ENDPOINT: backend.url },
    echo: false,
  });
  endpoint = `http://127.0.0.1:${http}/v1/traces`;
  const deadline = Date.now() + 30_000;
  while (!collector.outputTail().includes("Everything is ready")) {
    if (!collector.running() || Date.now() > deadline) throw new Error(`the Collector did not start:\n${collector.outputTail()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
});

afterAll(async () => {
  await collector?.stop();
  await backend?.close();
  rmSync(workDir, { recursive: true, force: true });
});

describe.skipIf(!bin)("deploy/otel-collector.yaml in a real Collector", () => {
  it("keeps errors, eval runs and repaired answers, and about one in ten of the rest", async () => {
    const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: endpoint }))] });
    const tracer = provider.getTracer("test");
    const root = (attributes: Record<string, string>, error = false) => {
      const span = tracer.startSpan("chat", { root: true, attributes: { "openinference.span.kind": "AGENT", ...attributes } });
      if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: "tool failed" });
      span.end();
      return span.spanContext().traceId;
    };
    const failed = root({}, true);
    const evalRun = root({ metadata: JSON.stringify({ eval_run_id: "run-1", example_id: "ex-1" }) });
    const repaired = root({ "answer.guard.verdict": "repaired" });
    const plain = Array.from({ length: 200 }, () => root({}));
    await provider.forceFlush();

    const received = () =>
      Buffer.concat(backend.requests.map((r) => (r.headers["content-encoding"] === "gzip" ? gunzipSync(r.body) : r.body)));
    const has = (traceId: string) => received().includes(Buffer.from(traceId, "hex"));
    await expect.poll(() => [failed, evalRun, repaired].map(has), { timeout: 20_000, interval: 500 }).toEqual([true, true, true]);
    // Probabilistic at 10 %: 200 traces give 20 on average; 5 to 40 holds with overwhelming odds.
    const kept = plain.filter(has).length;
    console.log(`[otelcol] plain traces forwarded: ${kept} of ${plain.length}`);
    expect(kept).toBeGreaterThanOrEqual(5);
    expect(kept).toBeLessThanOrEqual(40);
    await provider.shutdown();
  });
});
