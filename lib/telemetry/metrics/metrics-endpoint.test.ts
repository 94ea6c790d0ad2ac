import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import type { ErrorBody } from "@/lib/errors";
import { createTracingPipeline } from "../tracing-pipeline";
import { setActiveTracing } from "../tracing-registry";
import { serveMetrics } from "./metrics-endpoint";

const TOKEN = "metrics-endpoint-test-token-01";
const workDir = mkdtempSync(path.join(os.tmpdir(), "rag-metrics-endpoint-"));
const env = { PHOENIX_EXPORT: "off", TRACE_LOG_PATH: path.join(workDir, "traces.sqlite") };
const open = () => loadConfig(env);
const guarded = () => loadConfig({ ...env, ADMIN_TOKEN: TOKEN });
const get = (authorization?: string) =>
  new Request("http://127.0.0.1:3000/api/metrics", authorization ? { headers: { authorization } } : {});
const code = async (response: Response) => [response.status, ((await response.json()) as ErrorBody).error.code];

const pipeline = createTracingPipeline(open());

afterAll(async () => {
  await pipeline.shutdown();
  rmSync(workDir, { recursive: true, force: true });
});

describe("GET /api/metrics", () => {
  it("answers 503 tracing_off when no metrics pipeline runs (TRACING=off or METRICS=off)", async () => {
    expect(await code(await serveMetrics(get(), open))).toEqual([503, "tracing_off"]);
  });

  it("serves Prometheus text, open when no ADMIN_TOKEN is configured", async () => {
    setActiveTracing(pipeline);
    const response = await serveMetrics(get(), open);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.text()).toMatch(/^# HELP target_info/);
  });

  it("needs the admin token once one is configured", async () => {
    expect(await code(await serveMetrics(get(), guarded))).toEqual([401, "unauthorized"]);
    expect(await code(await serveMetrics(get("Bearer not-the-admin-token-00"), guarded))).toEqual([403, "forbidden"]);
    expect((await serveMetrics(get(`Bearer ${TOKEN}`), guarded)).status).toBe(200);
  });
});
