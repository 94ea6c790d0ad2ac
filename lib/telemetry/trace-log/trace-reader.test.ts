import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqliteSpanExporter } from "./sqlite-span-exporter";
import { TraceLog } from "./trace-log";
import { openTempTraceLog, recordAgentTrace, tracerExportingTo } from "./trace-log-test-support";
import { TraceLogReader, type TraceReader } from "./trace-reader";

describe("TraceLogReader", () => {
  let temp: ReturnType<typeof openTempTraceLog>;
  let log: TraceLog;

  beforeEach(() => {
    temp = openTempTraceLog();
    log = temp.log;
  });

  afterEach(() => temp.remove());

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
});
