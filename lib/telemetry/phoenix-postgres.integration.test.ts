import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type AppConfig } from "@/lib/config";
import { untilPhoenixHas } from "@/test-support/phoenix/throwaway-phoenix";
import { startThrowawayPostgres } from "@/test-support/postgres/throwaway-postgres";
import { freePort } from "@/test-support/process/free-port";
import type { LocalPostgres } from "../postgres/local-postgres";
import { ensurePhoenixVenv } from "./phoenix-venv";
import { PhoenixClient } from "./phoenix-client";
import { startPhoenix, type RunningPhoenix } from "./phoenix-server";
import { spawnServer, type ServerProcess } from "./server-process";
import { createTracingPipeline } from "./tracing-pipeline";
import { waitForHealth } from "./wait-for-health";

// Phoenix on the app's PostgreSQL (issue 18, item 3): `npm run phoenix` (the real script) with
// PHOENIX_SQL_DATABASE_URL set, the app's tracing pipeline on the same database (its trace log
// in schema trace_log), one trace sent; its spans must be rows in Phoenix's own schema, served
// by Phoenix's API, and still there for a second Phoenix started on the same database.

const root = process.cwd();
const project = `phoenix-pg-${Date.now()}`;
let db: LocalPostgres;
let pool: pg.Pool;
let script: ServerProcess | undefined;
let second: RunningPhoenix | undefined;
let workingDir: string;

beforeAll(async () => {
  await ensurePhoenixVenv({ root, onProgress: (line) => console.log(`[phoenix venv] ${line}`) });
  db = await startThrowawayPostgres(root, "rag_phoenix");
  pool = new pg.Pool({ connectionString: db.url, max: 2 });
  workingDir = await mkdtemp(path.join(os.tmpdir(), "phoenix-pg-"));
}, 300_000);

afterAll(async () => {
  await script?.stop();
  await second?.stop();
  await pool?.end();
  await db?.stop();
  if (workingDir) await rm(workingDir, { recursive: true, force: true });
});

/** `npm run phoenix` as a child process, on free ports, with the database settings in its environment. */
async function runPhoenixScript(env: Record<string, string>): Promise<{ url: string; server: ServerProcess }> {
  const port = await freePort();
  const server = spawnServer(process.execPath, ["--import", "tsx", path.join(root, "scripts", "phoenix.ts")], {
    cwd: root,
    env: { ...process.env, PHOENIX_HOST: "127.0.0.1", PHOENIX_PORT: String(port), PHOENIX_GRPC_PORT: String(await freePort()), ...env },
    echo: false,
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(server, `${url}/healthz`, 180_000);
  } catch (error) {
    await server.stop();
    throw new Error(`npm run phoenix did not start: ${String(error)}\n${server.outputTail()}`, { cause: error });
  }
  return { url, server };
}

/** One chat-like trace through the app's own pipeline: trace log on PostgreSQL, export to Phoenix. */
async function sendTrace(config: AppConfig): Promise<string> {
  const pipeline = createTracingPipeline(config);
  try {
    // The resource names the project Phoenix files the trace under (PHOENIX_PROJECT_NAME).
    const resource = resourceFromAttributes(pipeline.resourceAttributes);
    const tracer = new BasicTracerProvider({ resource, spanProcessors: pipeline.processors }).getTracer("test");
    const chat = tracer.startSpan("chat", { root: true, attributes: { "openinference.span.kind": "AGENT", "input.value": "hello" } });
    chat.end();
    await pipeline.flush();
    expect(pipeline.phoenixStats()).toMatchObject({ exported: 1, dropped: 0 });
    return chat.spanContext().traceId;
  } finally {
    await pipeline.shutdown();
  }
}

async function phoenixSpanNames(traceId: string): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(
    "SELECT s.name FROM phoenix.spans s JOIN phoenix.traces t ON t.id = s.trace_rowid WHERE t.trace_id = $1",
    [traceId],
  );
  return rows.map((r) => r.name);
}

describe("Phoenix on the app's PostgreSQL", () => {
  let traceId: string;

  it("npm run phoenix puts Phoenix's tables in their own schema, beside the app's", async () => {
    const env = { PHOENIX_SQL_DATABASE_URL: db.url };
    const started = await runPhoenixScript(env);
    script = started.server;

    const config = loadConfig({
      DATABASE_URL: db.url,
      PHOENIX_COLLECTOR_ENDPOINT: started.url,
      PHOENIX_PROJECT_NAME: project,
      METRICS: "off",
    });
    traceId = await sendTrace(config);

    // Phoenix inserts in batches: poll the table.
    await expect.poll(() => phoenixSpanNames(traceId), { timeout: 30_000, interval: 500 }).toEqual(["chat"]);
    const { rows } = await pool.query<{ spans: string | null; log: string | null }>(
      "SELECT to_regclass('public.spans')::text AS spans, to_regclass('trace_log.spans')::text AS log",
    );
    // Nothing of Phoenix's in public; the app's trace log in its own schema has the same trace.
    expect(rows[0]!.spans).toBeNull();
    expect(rows[0]!.log).not.toBeNull();
    const logged = await pool.query("SELECT 1 FROM trace_log.spans WHERE trace_id = $1", [traceId]);
    expect(logged.rowCount).toBe(1);

    const client = new PhoenixClient({ baseUrl: started.url, timeoutMs: 10_000 });
    const spans = await untilPhoenixHas(async () => {
      const found = await client.allSpans(project, { traceIds: [traceId] });
      return found.length > 0 ? found : undefined;
    });
    expect(spans.map((s) => s.name)).toEqual(["chat"]);
  });

  it("keeps the data in PostgreSQL: a second Phoenix on the same database serves the trace", async () => {
    await script!.stop();
    script = undefined;
    second = await startPhoenix({
      root,
      port: await freePort(),
      grpcPort: await freePort(),
      workingDir,
      database: loadConfig({ PHOENIX_SQL_DATABASE_URL: db.url }).phoenixDatabase,
    });
    const client = new PhoenixClient({ baseUrl: second.url, timeoutMs: 10_000 });
    const spans = await client.allSpans(project, { traceIds: [traceId] });
    expect(spans.map((s) => s.name)).toEqual(["chat"]);
  });

  it("npm run phoenix says so, and exits, when the database does not accept connections", async () => {
    const down = `postgresql://postgres@127.0.0.1:${await freePort()}/rag`;
    const server = spawnServer(process.execPath, ["--import", "tsx", path.join(root, "scripts", "phoenix.ts")], {
      cwd: root,
      env: { ...process.env, PHOENIX_HOST: "127.0.0.1", PHOENIX_PORT: String(await freePort()), PHOENIX_SQL_DATABASE_URL: down },
      echo: false,
    });
    const exit = await server.exited;
    expect(exit.code).toBe(1);
    expect(server.outputTail()).toMatch(/\[phoenix_unavailable\] PostgreSQL at .* does not accept connections/);
  });
});
