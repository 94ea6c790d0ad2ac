import fs from "node:fs";
import path from "node:path";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPool } from "@/lib/postgres/pool";
import type { LocalPostgres } from "@/lib/postgres/local-postgres";
import { PgTraceLog } from "@/lib/telemetry/trace-log/pg-trace-log";
import { SqliteSpanExporter } from "@/lib/telemetry/trace-log/sqlite-span-exporter";
import { TraceLogReader } from "@/lib/telemetry/trace-log/trace-reader";
import { recordRequest } from "@/test-support/monitoring/request-traces";
import { startThrowawayPostgres } from "@/test-support/postgres/throwaway-postgres";
import { makeTempDir, tracerExportingTo } from "@/test-support/trace-log/recorded-traces";
import { startAlertScheduler } from "./alert-scheduler";

const T0 = Date.parse("2026-03-02T10:00:00Z");
const MIN = 60_000;
const RULES = `version: 1
rules:
  - name: slow
    metric: request_latency_ms
    aggregation: p95
    window: 5m
    condition: { type: threshold, direction: above, alert: 200 }
    severity: warning
    runbook: README.md#runbook-latency
`;

// Replicas' evaluators, each with its own pool, on one PostgreSQL trace log.
let server: LocalPostgres;
const pools: pg.Pool[] = [];
let temp: ReturnType<typeof makeTempDir>;

beforeAll(async () => {
  server = await startThrowawayPostgres(process.cwd(), "alerts_test");
  temp = makeTempDir();
});

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await server?.stop();
  temp?.remove();
});

function replica(): PgTraceLog {
  const pool = createPool({ url: server.url, poolMax: 2, connectTimeoutMs: 5_000 });
  pools.push(pool);
  return new PgTraceLog(pool, server.url);
}

describe("the alert evaluator on a trace log in PostgreSQL", () => {
  it("notifies each transition once across four replicas' evaluators, and the state outlives them", async () => {
    const rulesPath = path.join(temp.dir, "alerts.yaml");
    fs.writeFileSync(rulesPath, RULES);
    const { tracer, provider } = tracerExportingTo(new SqliteSpanExporter(replica(), { retentionDays: 0 }));
    // Slow requests in the window 10:00–10:05, fast ones in 10:05–10:10.
    for (let i = 0; i < 5; i++) recordRequest(tracer, { atMs: T0 + i * MIN, latencyMs: 500 });
    for (let i = 0; i < 5; i++) recordRequest(tracer, { atMs: T0 + (5 + i) * MIN, latencyMs: 100 });
    await provider.forceFlush();

    const notified: string[] = [];
    const tickAll = (now: number) =>
      Promise.all(
        Array.from({ length: 4 }, () => {
          const log = replica();
          const scheduler = startAlertScheduler({
            rulesPath,
            intervalMs: 3_600_000,
            reader: new TraceLogReader(log),
            store: log.alerts,
            now: () => now,
            notify: (t) => notified.push(`${t.rule} ${t.to}`),
          });
          return scheduler.tick().finally(() => scheduler.stop());
        }),
      );
    expect((await tickAll(T0 + 5 * MIN + 1_000)).map((c) => c.length).sort()).toEqual([0, 0, 0, 1]);
    expect(notified).toEqual(["slow firing"]);
    expect(await tickAll(T0 + 9 * MIN)).toEqual([[], [], [], []]);
    await tickAll(T0 + 10 * MIN);
    expect(notified).toEqual(["slow firing", "slow resolved"]);
    expect(await replica().alerts.states()).toMatchObject([{ rule: "slow", status: "resolved", lastEvalMs: T0 + 10 * MIN }]);
    expect((await replica().alerts.transitions()).map((t) => t.to)).toEqual(["firing", "resolved"]);
  });
});
