import { beforeEach, describe, expect, it } from "vitest";
import { SqliteSpanExporter } from "./sqlite-span-exporter";
import type { TraceLog } from "./trace-log";
import { recordAgentTrace, useTempTraceLog, tracerExportingTo } from "@/test-support/trace-log/recorded-traces";
import { orderSpans, TraceLogReader, type LoggedSpan, type TraceReader } from "./trace-reader";

describe("TraceLogReader", () => {
  const temp = useTempTraceLog();
  let log: TraceLog;

  beforeEach(() => {
    log = temp.log;
  });

  it("returns normalised spans for root listings and whole traces", async () => {
    const { tracer, provider } = tracerExportingTo(new SqliteSpanExporter(log, { retentionDays: 0 }));
    const recorded = recordAgentTrace(tracer, { sessionId: "session-9" });
    await provider.forceFlush();
    const reader: TraceReader = new TraceLogReader(log);

    const [root] = await reader.rootSpans({ sessionId: "session-9" });
    expect(root).toEqual({
      traceId: recorded.traceId,
      spanId: recorded.rootSpanId,
      parentSpanId: null,
      name: "agent",
      spanKind: "AGENT",
      startTimeMs: expect.any(Number),
      endTimeMs: expect.any(Number),
      statusCode: "OK",
      statusMessage: null,
      attributes: expect.objectContaining({ "session.id": "session-9", "input.value": "What were Q3 drone sales in EMEA?" }),
      sessionId: "session-9",
    });

    const spans = await reader.trace(recorded.traceId);
    expect(spans.map((s) => s.spanKind)).toEqual(["AGENT", "CHAIN", "RETRIEVER", "LLM", "TOOL"]);
    // No session on child spans: the key is absent rather than undefined or null.
    expect(spans[1]).not.toHaveProperty("sessionId");
    expect(await reader.trace("ffffffffffffffffffffffffffffffff")).toEqual([]);
    await provider.shutdown();
  });

  it("returns feedback and annotations as judgements, oldest first, the feedback shaped as in Phoenix", async () => {
    const { tracer, provider } = tracerExportingTo(new SqliteSpanExporter(log, { retentionDays: 0 }));
    const recorded = recordAgentTrace(tracer);
    const other = recordAgentTrace(tracer);
    await provider.forceFlush();
    log.addAnnotation({
      traceId: recorded.traceId,
      name: "online.claims",
      annotatorKind: "CODE",
      score: 0.5,
      label: "unsupported_claims",
      explanation: "1 of 2",
    });
    log.addFeedback({ traceId: recorded.traceId, score: 0, comment: "wrong figure" });
    log.addAnnotation({
      traceId: recorded.traceId,
      spanId: recorded.retrieverSpanId,
      name: "relevance",
      annotatorKind: "LLM",
      label: "relevant",
    });
    log.addFeedback({ traceId: other.traceId, score: 1 });
    const reader: TraceReader = new TraceLogReader(log);

    const judgements = await reader.judgements(recorded.traceId);
    expect(judgements.map((j) => j.name).sort()).toEqual(["online.claims", "relevance", "user_feedback"]);
    expect(judgements.find((j) => j.name === "user_feedback")).toEqual({
      spanId: recorded.rootSpanId,
      name: "user_feedback",
      annotatorKind: "HUMAN",
      score: 0,
      label: "thumbs_down",
      explanation: "wrong figure",
      updatedAtMs: expect.any(Number),
    });
    expect(judgements.find((j) => j.name === "relevance")).toMatchObject({
      spanId: recorded.retrieverSpanId,
      score: null,
      label: "relevant",
      explanation: null,
    });
    expect(judgements.find((j) => j.name === "online.claims")).toMatchObject({
      annotatorKind: "CODE",
      score: 0.5,
      label: "unsupported_claims",
    });
    const times = judgements.map((j) => j.updatedAtMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(await reader.judgements(other.traceId)).toEqual([
      expect.objectContaining({ name: "user_feedback", score: 1, label: "thumbs_up", explanation: null }),
    ]);
    expect(await reader.judgements("ffffffffffffffffffffffffffffffff")).toEqual([]);
    await provider.shutdown();
  });
});

describe("orderSpans", () => {
  const span = (spanId: string, parentSpanId: string | null, startTimeMs: number): LoggedSpan => ({
    traceId: "t".repeat(32),
    spanId,
    parentSpanId,
    name: spanId,
    spanKind: null,
    startTimeMs,
    endTimeMs: startTimeMs + 1,
    statusCode: "OK",
    statusMessage: null,
    attributes: {},
  });

  it("orders by the millisecond, then parents before children, then span id, whatever the finer times", () => {
    const spans = [span("c2", "b", 100.9), span("b", "a", 100.7), span("a", null, 100.8), span("c1", "b", 100.1), span("d", "a", 99.9)];
    expect(orderSpans(spans).map((s) => s.spanId)).toEqual(["d", "a", "b", "c1", "c2"]);
    // The same spans with the times a store of coarser precision keeps: the same order.
    expect(orderSpans(spans.map((s) => ({ ...s, startTimeMs: Math.floor(s.startTimeMs) }))).map((s) => s.spanId)).toEqual([
      "d",
      "a",
      "b",
      "c1",
      "c2",
    ]);
  });
});
