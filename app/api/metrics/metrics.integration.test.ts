import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ErrorBody } from "@/lib/errors";
import { startOtlpReceiver, type OtlpReceiver } from "@/test-support/metrics/otlp-receiver";
import { parsePrometheusText, sample } from "@/test-support/metrics/prometheus-text";
import { freePort } from "@/test-support/process/free-port";
import { startProductionServer, type RunningServer } from "@/test-support/server/production-server";

// The metrics on the production build (instrumentation.ts as Next.js runs it, the real local
// model): a chat turn shows up in GET /api/metrics and is pushed over OTLP to a receiver here.

const TOKEN = "metrics-integration-admin-token";
const workDir = mkdtempSync(path.join(os.tmpdir(), "rag-metrics-"));
let server: RunningServer;
let receiver: OtlpReceiver;

beforeAll(async () => {
  if (!existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) {
    throw new Error("No production build (.next/BUILD_ID): run `npm run build` first (`npm test` builds it before the integration tier).");
  }
  receiver = await startOtlpReceiver();
  server = await startProductionServer({
    port: await freePort(),
    env: {
      TRACE_LOG_PATH: path.join(workDir, "traces.sqlite"),
      PHOENIX_EXPORT: "off",
      ADMIN_TOKEN: TOKEN,
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${receiver.url}/v1/metrics`,
      OTEL_METRIC_EXPORT_INTERVAL: "500",
    },
    timeoutMs: 120_000,
  });
}, 300_000);

afterAll(async () => {
  await server?.stop();
  await receiver?.close();
  rmSync(workDir, { recursive: true, force: true });
});

const scrape = (authorization?: string) => fetch(`${server.url}/api/metrics`, authorization ? { headers: { authorization } } : {});

describe("GET /api/metrics on the production server", () => {
  it("shows a chat turn's tokens, model call and request, and pushes them over OTLP", async () => {
    const chat = await fetch(`${server.url}/api/chat`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ message: "How long do I have to return a product?" }),
    });
    expect(chat.status, server.output().slice(-2000)).toBe(200);

    const response = await scrape(`Bearer ${TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const samples = parsePrometheusText(text);
    const model = { gen_ai_request_model: "smollm2-135m", gen_ai_provider_name: "llama.cpp", gen_ai_operation_name: "chat" };
    for (const type of ["input", "output"]) {
      expect(sample(samples, "gen_ai_client_token_usage_count", { ...model, gen_ai_token_type: type }).value, text).toBeGreaterThan(0);
      const inf = sample(samples, "gen_ai_client_token_usage_bucket", { ...model, gen_ai_token_type: type, le: "+Inf" });
      expect(inf.value).toBeGreaterThan(0);
    }
    expect(sample(samples, "gen_ai_client_operation_duration_count", model).value).toBeGreaterThan(0);
    const requests = samples.filter((s) => s.name === "rag_request_duration_count");
    expect(requests.map((s) => s.labels.agent_route)).toContain("knowledge_base_search");
    expect(sample(samples, "rag_retrieval_top_score_count").value).toBeGreaterThan(0);

    await receiver.waitFor((received) => received.some((r) => r.path === "/v1/metrics" && r.body.includes("gen_ai.client.token.usage")));
  });

  it("needs the admin token once ADMIN_TOKEN is set", async () => {
    const missing = await scrape();
    expect([missing.status, ((await missing.json()) as ErrorBody).error.code]).toEqual([401, "unauthorized"]);
    expect((await scrape("Bearer wrong-token-wrong-token")).status).toBe(403);
  });
});
