import path from "node:path";
import Database from "better-sqlite3";
import { ROOT_CONTEXT, TraceFlags, trace, type Tracer } from "@opentelemetry/api";
import type { BasicTracerProvider } from "@opentelemetry/sdk-trace-base";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { SqliteSpanExporter } from "./sqlite-span-exporter";
import { TraceLog } from "./trace-log";
import { FEEDBACK_COMMENT_MAX_CHARS } from "./trace-log-records";
import { TRACE_LOG_SCHEMA_VERSION } from "./trace-log-schema";
import { makeTempDir, recordAgentTrace, TEST_PROJECT_NAME, tracerExportingTo } from "@/test-support/trace-log/recorded-traces";

const UNKNOWN_TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

function thrownBy(work: () => unknown): AppError {
  try {
    work();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError, nothing was thrown");
}

describe("TraceLog", () => {
  let temp: ReturnType<typeof makeTempDir>;
  let file: string;
  let log: TraceLog;
  let tracer: Tracer;
  let provider: BasicTracerProvider;

  beforeEach(() => {
    temp = makeTempDir();
    // A nested folder that does not exist yet: opening must create it.
    file = path.join(temp.dir, "nested", "traces.sqlite");
    log = new TraceLog(file);
    ({ tracer, provider } = tracerExportingTo(new SqliteSpanExporter(log, { retentionDays: 0 })));
  });

  afterEach(async () => {
    await provider.shutdown();
    log.close();
    temp.remove();
  });

  it("stores spans exported by a real tracer with parentage, kinds and extracted columns", async () => {
    const recorded = recordAgentTrace(tracer, { sessionId: "session-1" });
    await provider.forceFlush();

    const spans = log.trace(recorded.traceId);
    expect(spans.map((s) => [s.name, s.spanKind, s.parentSpanId])).toEqual([
      ["agent", "AGENT", null],
      ["retrieve-context", "CHAIN", recorded.rootSpanId],
      ["hnsw-search", "RETRIEVER", recorded.chainSpanId],
      ["chat-model", "LLM", recorded.rootSpanId],
      ["sales_query", "TOOL", recorded.rootSpanId],
    ]);

    const root = log.rootSpan(recorded.traceId);
    expect(root).toMatchObject({
      spanId: recorded.rootSpanId,
      statusCode: "OK",
      projectName: TEST_PROJECT_NAME,
      sessionId: "session-1",
      inputValue: "What were Q3 drone sales in EMEA?",
      outputValue: "EMEA drone revenue in Q3 was $1.2M.",
      durationMs: 110,
    });
    expect(root?.endTimeMs).toBeCloseTo((root?.startTimeMs ?? 0) + 110, 3);
    expect(root?.attributes["openinference.span.kind"]).toBe("AGENT");

    const [, , retriever, llm, tool] = spans;
    expect(retriever?.attributes["retrieval.documents.0.document.score"]).toBe(0.82);
    expect(llm).toMatchObject({ llmTokenCountTotal: 321, llmCostTotal: 0.0042, sessionId: null });
    expect(tool).toMatchObject({ statusCode: "ERROR", statusMessage: "no such column" });
    expect(tool?.events).toHaveLength(1);
    expect(tool?.events[0]).toMatchObject({ name: "exception", attributes: { "exception.message": "no such column" } });
  });

  it("lists root spans newest first, filtered by time and session", async () => {
    const older = recordAgentTrace(tracer, { sessionId: "s-a", daysAgo: 2 });
    const middle = recordAgentTrace(tracer, { sessionId: "s-b", daysAgo: 1 });
    const newest = recordAgentTrace(tracer, { sessionId: "s-a" });
    await provider.forceFlush();

    expect(log.listRootSpans().map((s) => s.traceId)).toEqual([newest.traceId, middle.traceId, older.traceId]);
    expect(log.listRootSpans({ limit: 1 }).map((s) => s.traceId)).toEqual([newest.traceId]);
    expect(log.listRootSpans({ sessionId: "s-a" }).map((s) => s.traceId)).toEqual([newest.traceId, older.traceId]);
    const dayAndHalfAgo = Date.now() - 1.5 * 86_400_000;
    expect(log.listRootSpans({ since: dayAndHalfAgo }).map((s) => s.traceId)).toEqual([newest.traceId, middle.traceId]);
    expect(log.listRootSpans({ until: dayAndHalfAgo }).map((s) => s.traceId)).toEqual([older.traceId]);
    expect(thrownBy(() => log.listRootSpans({ limit: 0 })).code).toBe("bad_request");
  });

  it("keeps data across close and reopen, in WAL mode at the current schema version", async () => {
    const recorded = recordAgentTrace(tracer);
    await provider.forceFlush();
    log.addFeedback({ traceId: recorded.traceId, score: 1 });
    log.close();

    const inspector = new Database(file, { readonly: true });
    expect(inspector.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(inspector.pragma("user_version", { simple: true })).toBe(TRACE_LOG_SCHEMA_VERSION);
    inspector.close();

    log = new TraceLog(file);
    expect(log.trace(recorded.traceId)).toHaveLength(5);
    expect(log.feedbackFor(recorded.traceId)).toHaveLength(1);
    expect(log.counts()).toEqual({ traces: 1, spans: 5, feedback: 1, annotations: 0 });
  });

  it("refuses a file written by a newer schema", () => {
    log.close();
    const writer = new Database(file);
    writer.pragma(`user_version = ${TRACE_LOG_SCHEMA_VERSION + 1}`);
    writer.close();
    expect(thrownBy(() => new TraceLog(file)).code).toBe("trace_log_failed");
  });

  it("stores a span whose parent is in another process as a root, keeping the remote parent", async () => {
    const remoteParent = trace.wrapSpanContext({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
      spanId: "00f067aa0ba902b7",
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
    tracer.startSpan("POST /api/chat", {}, trace.setSpan(ROOT_CONTEXT, remoteParent)).end();
    await provider.forceFlush();

    const root = log.rootSpan("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(root).toMatchObject({ parentSpanId: null, remoteParentSpanId: "00f067aa0ba902b7", spanKind: null });
  });

  describe("feedback", () => {
    it("attaches to the root span", async () => {
      const recorded = recordAgentTrace(tracer);
      await provider.forceFlush();
      const saved = log.addFeedback({ traceId: recorded.traceId.toUpperCase(), score: 0, comment: "wrong quarter" });
      expect(saved).toMatchObject({ traceId: recorded.traceId, spanId: recorded.rootSpanId, score: 0, source: "api" });
      expect(log.feedbackFor(recorded.traceId)).toEqual([saved]);
    });

    it("throws trace_not_found for a trace that is not in the log, writing nothing", () => {
      const error = thrownBy(() => log.addFeedback({ traceId: UNKNOWN_TRACE_ID, score: 1, comment: "great" }));
      expect(error.code).toBe("trace_not_found");
      expect(error.status).toBe(404);
      expect(log.counts().feedback).toBe(0);
    });

    it("stores hostile comment text verbatim, and rejects an over-long one cleanly", async () => {
      const recorded = recordAgentTrace(tracer);
      await provider.forceFlush();
      const hostile = [
        "'); DROP TABLE spans; --",
        "\" OR 1=1; DELETE FROM feedback WHERE '1'='1",
        "Robert'); DROP TABLE feedback;--\u0000 after a NUL",
        "<script>alert(1)</script> ünïcödé 🚀 \\x00 $1 ?",
      ];
      for (const comment of hostile) log.addFeedback({ traceId: recorded.traceId, score: 0, comment });
      log.addFeedback({ traceId: recorded.traceId, score: 1, comment: "x".repeat(FEEDBACK_COMMENT_MAX_CHARS) });

      const tooLong = thrownBy(() => log.addFeedback({ traceId: recorded.traceId, score: 1, comment: "y".repeat(10_000) }));
      expect(tooLong.code).toBe("invalid_body");
      expect(tooLong.message).toContain(`comment: must be at most ${FEEDBACK_COMMENT_MAX_CHARS} characters`);

      expect(log.feedbackFor(recorded.traceId).map((f) => f.comment)).toEqual([...hostile, "x".repeat(FEEDBACK_COMMENT_MAX_CHARS)]);
      expect(log.counts()).toEqual({ traces: 1, spans: 5, feedback: 5, annotations: 0 });
    });

    it("rejects malformed input before touching the database", () => {
      const badTraceId = thrownBy(() => log.addFeedback({ traceId: "'; DROP TABLE spans; --", score: 1 }));
      expect(badTraceId.code).toBe("invalid_body");
      expect(badTraceId.message).toContain("traceId");
      const badScore = thrownBy(() => log.addFeedback({ traceId: UNKNOWN_TRACE_ID, score: 5 as 1 }));
      expect(badScore.message).toContain("score");
    });
  });

  describe("annotations", () => {
    it("attach to a given span or, by default, the root", async () => {
      const recorded = recordAgentTrace(tracer);
      await provider.forceFlush();
      const onRoot = log.addAnnotation({
        traceId: recorded.traceId,
        name: "correctness",
        annotatorKind: "LLM",
        label: "correct",
        score: 1,
        explanation: "matches the sales table",
        metadata: { model: "judge-1", tokens: 120 },
        runId: "eval-2025-06-01",
      });
      log.addAnnotation({
        traceId: recorded.traceId,
        spanId: recorded.retrieverSpanId,
        name: "relevance",
        annotatorKind: "CODE",
        score: 0.5,
      });

      expect(onRoot.spanId).toBe(recorded.rootSpanId);
      const stored = log.annotationsFor(recorded.traceId);
      expect(stored).toHaveLength(2);
      expect(stored[0]).toEqual(onRoot);
      expect(stored[1]).toMatchObject({ spanId: recorded.retrieverSpanId, label: null, metadata: {}, runId: null });
    });

    it("refuse an unknown span, or one with nothing to say", async () => {
      const recorded = recordAgentTrace(tracer);
      await provider.forceFlush();
      const unknownSpan = thrownBy(() =>
        log.addAnnotation({ traceId: recorded.traceId, spanId: "00f067aa0ba902b7", name: "x", annotatorKind: "HUMAN", label: "ok" }),
      );
      expect(unknownSpan.code).toBe("trace_not_found");
      const empty = thrownBy(() => log.addAnnotation({ traceId: recorded.traceId, name: "x", annotatorKind: "HUMAN" }));
      expect(empty.code).toBe("invalid_body");
      expect(log.counts().annotations).toBe(0);
    });
  });

  it("prunes only traces whose root is older than the retention, with their feedback and annotations", async () => {
    const old = recordAgentTrace(tracer, { daysAgo: 40 });
    const recent = recordAgentTrace(tracer, { daysAgo: 10 });
    // A stray old span whose root never ended (a crash mid-request).
    const neverEnded = tracer.startSpan("agent", { startTime: Date.now() - 40 * 86_400_000 });
    tracer.startSpan("orphan", { startTime: Date.now() - 40 * 86_400_000 }, trace.setSpan(ROOT_CONTEXT, neverEnded)).end();
    await provider.forceFlush();
    for (const { traceId } of [old, recent]) {
      log.addFeedback({ traceId, score: 1 });
      log.addAnnotation({ traceId, name: "correctness", annotatorKind: "CODE", score: 1 });
    }

    expect(log.prune({ retentionDays: 30, maxBytes: 0 })).toEqual({ traces: 1, spans: 6, feedback: 1, annotations: 1 });
    expect(log.trace(old.traceId)).toEqual([]);
    expect(log.trace(neverEnded.spanContext().traceId)).toEqual([]);
    expect(log.trace(recent.traceId)).toHaveLength(5);
    expect(log.counts()).toEqual({ traces: 1, spans: 5, feedback: 1, annotations: 1 });
    expect(thrownBy(() => log.prune({ retentionDays: 0, maxBytes: 0 })).code).toBe("bad_request");
  });

  it("prunes in batches of whole traces, and the oldest first while the file is over its size cap", async () => {
    const traces = Array.from({ length: 60 }, (_, i) => recordAgentTrace(tracer, { daysAgo: 60 - i }));
    await provider.forceFlush();
    const batch = log.pruneBatch({ retentionDays: 55, maxBytes: 0 }, 2);
    expect(batch).toMatchObject({ traces: 2, more: true });
    expect(log.trace(traces[0]!.traceId)).toEqual([]);
    expect(log.trace(traces[2]!.traceId)).toHaveLength(5);

    // A cap a little under today's size: the oldest traces go until it holds, the newest stay.
    const cap = log.sizeBytes() - 16 * 1024;
    const pruned = log.prune({ retentionDays: 0, maxBytes: cap }, 5);
    expect(pruned.traces).toBeGreaterThan(0);
    expect(log.sizeBytes()).toBeLessThanOrEqual(cap);
    expect(log.trace(traces[59]!.traceId)).toHaveLength(5);
    expect(log.counts().traces).toBeGreaterThan(30);
    expect(log.trace(traces[2]!.traceId)).toEqual([]);
  });

  it("fails with trace_log_failed once closed", () => {
    log.close();
    log.close(); // idempotent
    expect(log.isOpen).toBe(false);
    expect(thrownBy(() => log.counts()).code).toBe("trace_log_failed");
  });
});
