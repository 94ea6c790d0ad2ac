import { SemanticConventions } from "@arizeai/openinference-semantic-conventions";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { SEMRESATTRS_PROJECT_NAME } from "@arizeai/openinference-semantic-conventions";
import type pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { closePools, createPool } from "@/lib/postgres/pool";
import type { LocalPostgres } from "@/lib/postgres/local-postgres";
import { startThrowawayPostgres } from "@/test-support/postgres/throwaway-postgres";
import { runTsxScript } from "@/test-support/process/run-tsx-script";
import { openTempTraceLog, recordAgentTrace, TEST_PROJECT_NAME } from "@/test-support/trace-log/recorded-traces";
import type { AlertStateRecord, AlertTransitionRecord } from "./alert-state-store";
import { PgTraceLog } from "./pg-trace-log";
import { SqliteSpanExporter } from "./sqlite-span-exporter";
import type { TraceLog } from "./trace-log";
import { TraceLogReader, type TraceJudgement } from "./trace-reader";
import { createTracingPipeline } from "../tracing-pipeline";

// Two replicas: two pools on one database. Replica A writes spans; every read goes through B.
let server: LocalPostgres;
let pools: [pg.Pool, pg.Pool];
let sqlite: ReturnType<typeof openTempTraceLog>;
let a: PgTraceLog;
let b: PgTraceLog;

beforeAll(async () => {
  server = await startThrowawayPostgres(process.cwd(), "trace_log_test");
  pools = [0, 1].map(() => createPool({ url: server.url, poolMax: 4, connectTimeoutMs: 5_000 })) as [pg.Pool, pg.Pool];
});

afterAll(async () => {
  await closePools();
  await Promise.all(pools.map((p) => p.end()));
  await server?.stop();
});

beforeEach(async () => {
  [a, b] = pools.map((pool) => new PgTraceLog(pool, server.url)) as [PgTraceLog, PgTraceLog];
  await a.migrate();
  await pools[0].query(
    "TRUNCATE trace_log.spans, trace_log.feedback, trace_log.annotations, trace_log.alert_state, trace_log.alert_transitions",
  );
  sqlite = openTempTraceLog();
});

afterEach(() => sqlite.remove());

/** The app's path: one tracer, a batch processor per log, each with the real exporter. */
async function recordToBoth(record: (tracer: ReturnType<BasicTracerProvider["getTracer"]>) => void): Promise<void> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ [SEMRESATTRS_PROJECT_NAME]: TEST_PROJECT_NAME }),
    spanProcessors: [sqlite.log, a].map((log) => new BatchSpanProcessor(new SqliteSpanExporter(log, { retentionDays: 0 }))),
  });
  record(provider.getTracer("pg-trace-log-test"));
  await provider.forceFlush();
  await provider.shutdown();
}

const withoutTimes = (judgements: TraceJudgement[]) => judgements.map(({ updatedAtMs: _, ...rest }) => rest);

describe("the trace log in PostgreSQL", () => {
  it("is where the app's tracing pipeline writes when DATABASE_URL is set, not the SQLite file", async () => {
    const pipeline = createTracingPipeline(
      loadConfig({ PHOENIX_EXPORT: "off", METRICS: "off", DATABASE_URL: server.url, TRACE_LOG_PATH: `${sqlite.dir}/unused.sqlite` }),
    );
    expect(pipeline.traceLog).toBeInstanceOf(PgTraceLog);
    const provider = new BasicTracerProvider({ spanProcessors: pipeline.processors });
    const { traceId } = recordAgentTrace(provider.getTracer("pipeline-test"), { sessionId: "via-pipeline" });
    await pipeline.flush();
    expect((await b.trace(traceId)).map((span) => span.name)).toEqual([
      "agent",
      "retrieve-context",
      "hnsw-search",
      "chat-model",
      "sales_query",
    ]);
    expect(pipeline.traceLogStats()).toMatchObject({ exported: 5, dropped: 0 });
    await provider.shutdown();
  });

  it("reads back what the exporter wrote exactly as the SQLite log does, through the same reader", async () => {
    const traces: ReturnType<typeof recordAgentTrace>[] = [];
    await recordToBoth((tracer) => {
      traces.push(recordAgentTrace(tracer, { sessionId: "s-1" }));
      traces.push(recordAgentTrace(tracer, { sessionId: "s-2", daysAgo: 2, question: 'Ünïcødé ✓ "quotes" and\nnewlines' }));
      traces.push(recordAgentTrace(tracer, { daysAgo: 10 }));
      const odd = tracer.startSpan("odd", {
        attributes: { [SemanticConventions.INPUT_VALUE]: "", "x.list": [1, 2, 3], "x.nan": NaN, "x.flag": true },
      });
      odd.addEvent("tick", { n: 1 });
      odd.end();
    });
    const [fromSqlite, fromPg] = [new TraceLogReader(sqlite.log), new TraceLogReader(b)];
    for (const { traceId } of traces) {
      expect(await fromPg.trace(traceId)).toEqual(await fromSqlite.trace(traceId));
      expect(await b.trace(traceId)).toEqual(sqlite.log.trace(traceId));
      expect(await b.rootSpan(traceId)).toEqual(sqlite.log.rootSpan(traceId));
    }
    for (const query of [
      {},
      { limit: 2 },
      { sessionId: "s-2" },
      { since: Date.now() - 3 * 86_400_000 },
      { until: Date.now() - 86_400_000 },
    ]) {
      expect(await fromPg.rootSpans(query)).toEqual(await fromSqlite.rootSpans(query));
    }
    const window = [Date.now() - 30 * 86_400_000, Date.now() + 60_000] as const;
    expect(await fromPg.traceWindow(...window)).toEqual(await fromSqlite.traceWindow(...window));
    expect(await b.counts()).toEqual(sqlite.log.counts());
    expect((await b.counts()).spans).toBe(16);
  });

  it("keeps feedback and annotations written through one replica, visible to the other, as the SQLite log keeps them", async () => {
    let trace!: ReturnType<typeof recordAgentTrace>;
    await recordToBoth((tracer) => (trace = recordAgentTrace(tracer)));
    for (const log of [sqlite.log as TraceLog | PgTraceLog, a]) {
      await log.addFeedback({ traceId: trace.traceId, score: 0, comment: "wrong number" });
      await log.addAnnotation({ traceId: trace.traceId, name: "groundedness", annotatorKind: "LLM", score: 0.4, metadata: { run: 1 } });
      await log.addAnnotation({ traceId: trace.traceId, spanId: trace.llmSpanId, name: "tone", annotatorKind: "CODE", label: "ok" });
    }
    const [fromSqlite, fromPg] = [new TraceLogReader(sqlite.log), new TraceLogReader(b)];
    expect(withoutTimes(await fromPg.judgements(trace.traceId))).toEqual(withoutTimes(await fromSqlite.judgements(trace.traceId)));
    expect((await b.feedbackFor(trace.traceId)).map((f) => [f.spanId, f.score, f.comment, f.source])).toEqual([
      [trace.rootSpanId, 0, "wrong number", "api"],
    ]);
    expect((await b.annotationsFor(trace.traceId)).map((x) => [x.spanId, x.name, x.metadata])).toEqual([
      [trace.rootSpanId, "groundedness", { run: 1 }],
      [trace.llmSpanId, "tone", {}],
    ]);
  });

  it("refuses feedback and annotations on what is not in the log, writing nothing, with the SQLite log's codes", async () => {
    const unknown = "0".repeat(32);
    await expect(a.addFeedback({ traceId: unknown, score: 1 })).rejects.toMatchObject({ code: "trace_not_found" });
    await expect(
      a.addAnnotation({ traceId: unknown, spanId: "1".repeat(16), name: "x", annotatorKind: "CODE", score: 1 }),
    ).rejects.toMatchObject({
      code: "trace_not_found",
    });
    await expect(a.addFeedback({ traceId: "not-a-trace", score: 1 })).rejects.toMatchObject({ code: "invalid_body" });
    await expect(b.trace("nope")).rejects.toMatchObject({ code: "bad_request" });
    expect(await b.counts()).toEqual({ traces: 0, spans: 0, feedback: 0, annotations: 0 });
  });

  it("is what the CLIs read with DATABASE_URL set (npm run alerts counts the requests there)", async () => {
    await recordToBoth((tracer) => {
      for (let i = 0; i < 3; i++) recordAgentTrace(tracer, { sessionId: `cli-${i}` });
    });
    const env = { DATABASE_URL: server.url, TRACE_LOG_PATH: `${sqlite.dir}/missing.sqlite` };
    const run = await runTsxScript("scripts/alerts.ts", ["--json", "--since", "1h"], env);
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toMatchObject({ requests: 3 });
  });

  it("prunes old traces with their feedback, as the SQLite log does", async () => {
    let old!: ReturnType<typeof recordAgentTrace>;
    await recordToBoth((tracer) => {
      old = recordAgentTrace(tracer, { daysAgo: 10 });
      recordAgentTrace(tracer);
    });
    await a.addFeedback({ traceId: old.traceId, score: 1 });
    sqlite.log.addFeedback({ traceId: old.traceId, score: 1 });
    const limits = { retentionDays: 7, maxBytes: 0 };
    const { more: _, ...pruned } = await b.pruneBatch(limits);
    expect(pruned).toEqual(sqlite.log.prune(limits));
    expect(await a.counts()).toEqual(sqlite.log.counts());
    expect(await a.trace(old.traceId)).toEqual([]);
  });
});

const AT = Date.parse("2026-03-02T10:40:00Z");
const pending: AlertStateRecord = {
  rule: "p95-latency-spike",
  groupKey: "route=kb",
  status: "pending",
  level: "alert",
  sinceMs: AT - 300_000,
  breachWindows: 1,
  lastEvalMs: AT - 300_000,
  lastNotifiedMs: null,
  lastValue: 850,
  version: 0,
};
const firing: AlertStateRecord = {
  ...pending,
  status: "firing",
  sinceMs: AT,
  breachWindows: 2,
  lastEvalMs: AT,
  lastNotifiedMs: AT,
  version: 1,
};
const toFiring: AlertTransitionRecord = {
  rule: pending.rule,
  groupKey: pending.groupKey,
  from: "pending",
  to: "firing",
  kind: "status",
  level: "alert",
  atMs: AT,
  value: 900,
  detail: "900 vs baseline 400",
  notify: true,
};

describe("alert state in PostgreSQL", () => {
  it("lets exactly one of two replicas claiming at once move the state and record the transition", async () => {
    expect(await a.alerts.save(pending)).toBe(true);
    expect(await b.alerts.save(pending)).toBe(false);
    const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).alerts.claimTransition(toFiring, firing)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await b.alerts.states()).toEqual([{ ...firing, version: 2 }]);
    expect(await a.alerts.transitions()).toEqual([toFiring]);
    // A state rebuilt from nothing cannot claim a transition recorded before, and nothing of it is written.
    await pools[0].query("DELETE FROM trace_log.alert_state");
    expect(await a.alerts.claimTransition(toFiring, { ...firing, version: 0 })).toBe(false);
    expect(await b.alerts.states()).toEqual([]);
  });

  it("reads the same states and transitions the SQLite store keeps for the same writes", async () => {
    for (const store of [sqlite.log.alerts, a.alerts]) {
      await store.save(pending);
      await store.claimTransition(toFiring, firing);
      await store.save({ ...firing, lastValue: 950, version: 2 });
    }
    expect(await b.alerts.states()).toEqual(sqlite.log.alerts.states());
    expect(await b.alerts.transitions(AT)).toEqual(sqlite.log.alerts.transitions(AT));
    expect(await b.alerts.transitions(AT + 1)).toEqual([]);
  });
});
