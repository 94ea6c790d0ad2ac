import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors";
import { SqliteSpanExporter } from "./sqlite-span-exporter";
import type { TraceLog } from "./trace-log";
import { recordAgentTrace, useTempTraceLog } from "@/test-support/trace-log/recorded-traces";

const HOUR_MS = 3_600_000;

/** Collects the spans a test creates without writing them anywhere. */
function finishedSpans(count: number): ReadableSpan[] {
  const spans: ReadableSpan[] = [];
  const provider = new BasicTracerProvider({
    spanProcessors: [{ onStart: () => {}, onEnd: (span) => spans.push(span), forceFlush: async () => {}, shutdown: async () => {} }],
  });
  const tracer = provider.getTracer("exporter-test");
  for (let i = 0; i < count; i++) tracer.startSpan(`span-${i}`).end();
  return spans;
}

function exportNow(exporter: SqliteSpanExporter, spans: ReadableSpan[]): ExportResult[] {
  const results: ExportResult[] = [];
  exporter.export(spans, (result) => results.push(result));
  return results;
}

describe("SqliteSpanExporter", () => {
  const temp = useTempTraceLog();
  let log: TraceLog;

  beforeEach(() => {
    log = temp.log;
  });

  it("writes a batch and reports SUCCESS", () => {
    const exporter = new SqliteSpanExporter(log, { retentionDays: 0 });
    expect(exportNow(exporter, finishedSpans(3))).toEqual([{ code: ExportResultCode.SUCCESS }]);
    expect(log.counts().spans).toBe(3);
  });

  it("reports FAILED with the error, without throwing, when the log is closed", () => {
    const exporter = new SqliteSpanExporter(log, { retentionDays: 0 });
    log.close();
    const results = exportNow(exporter, finishedSpans(1));
    expect(results).toHaveLength(1);
    expect(results[0]?.code).toBe(ExportResultCode.FAILED);
    expect(results[0]?.error).toBeInstanceOf(AppError);
    expect((results[0]?.error as AppError).code).toBe("trace_log_failed");
  });

  it("counts an outage's lost spans and tells of it once when it starts and once when it ends", () => {
    let broken = true;
    const flaky = {
      writeSpans: () => {
        if (broken) throw new AppError("trace_log_failed", "database or disk is full");
      },
      pruneBatch: () => ({ traces: 0, spans: 0, feedback: 0, annotations: 0, more: false }),
    } as unknown as TraceLog;
    const told: string[] = [];
    const exporter = new SqliteSpanExporter(flaky, { retentionDays: 0, onOutage: (m) => told.push(m) });
    for (let i = 0; i < 3; i++) exportNow(exporter, finishedSpans(2));
    expect(exporter.stats()).toEqual({ exported: 0, dropped: 6, lastError: "database or disk is full" });
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/writing spans failed \(database or disk is full\)/);

    broken = false;
    exportNow(exporter, finishedSpans(1));
    exportNow(exporter, finishedSpans(1));
    expect(exporter.stats()).toEqual({ exported: 2, dropped: 6 });
    expect(told).toHaveLength(2);
    expect(told[1]).toMatch(/works again after 3 failed batch/);
  });

  it("waits for an async store (PostgreSQL): the callback after the write, forceFlush for every write under way", async () => {
    const writes: { spans: number; settle: (error?: Error) => void }[] = [];
    const asyncLog = {
      writeSpans: (spans: readonly ReadableSpan[]) =>
        new Promise<void>((resolve, reject) =>
          writes.push({ spans: spans.length, settle: (error) => (error ? reject(error) : resolve()) }),
        ),
      pruneBatch: () => Promise.resolve({ traces: 0, spans: 0, feedback: 0, annotations: 0, more: false }),
    };
    const exporter = new SqliteSpanExporter(asyncLog, { retentionDays: 0, onOutage: () => {} });
    const results = exportNow(exporter, finishedSpans(2));
    exportNow(exporter, finishedSpans(1));
    expect(results).toEqual([]);
    let flushed = false;
    const flushing = exporter.forceFlush().then(() => (flushed = true));
    writes[0]!.settle();
    await new Promise((resolve) => setImmediate(resolve));
    expect(results).toEqual([{ code: ExportResultCode.SUCCESS }]);
    expect(flushed).toBe(false);
    writes[1]!.settle(new AppError("database_unavailable", "connection refused"));
    await flushing;
    expect(exporter.stats()).toEqual({ exported: 2, dropped: 1, lastError: "connection refused" });
  });

  it("reports FAILED after shutdown", async () => {
    const exporter = new SqliteSpanExporter(log, { retentionDays: 0 });
    await exporter.shutdown();
    expect(exportNow(exporter, finishedSpans(1))[0]?.code).toBe(ExportResultCode.FAILED);
    expect(log.counts().spans).toBe(0);
  });

  it("writes each span as it ends behind a SimpleSpanProcessor (the SQLite log's), nothing left to flush", () => {
    const provider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(new SqliteSpanExporter(log, { retentionDays: 0 }))],
    });
    const recorded = recordAgentTrace(provider.getTracer("simple-test"));
    expect(log.trace(recorded.traceId)).toHaveLength(5);
  });

  it("works behind a BatchSpanProcessor", async () => {
    const processor = new BatchSpanProcessor(new SqliteSpanExporter(log, { retentionDays: 0 }), { scheduledDelayMillis: 20 });
    const provider = new BasicTracerProvider({ spanProcessors: [processor] });
    const recorded = recordAgentTrace(provider.getTracer("batch-test"));
    await provider.forceFlush();
    expect(log.trace(recorded.traceId)).toHaveLength(5);
    await provider.shutdown();
  });

  it("prunes on startup and then at most once per interval, never inside the write", async () => {
    let now = 1_000_000;
    const prune = vi.spyOn(log, "pruneBatch");
    const exporter = new SqliteSpanExporter(log, { retentionDays: 7, now: () => now });
    expect(prune).toHaveBeenCalledTimes(1);
    expect(prune).toHaveBeenCalledWith({ retentionDays: 7, maxBytes: 0 });

    exportNow(exporter, finishedSpans(1));
    now += HOUR_MS - 1;
    exportNow(exporter, finishedSpans(1));
    await nextTurn();
    expect(prune).toHaveBeenCalledTimes(1);
    now += 1;
    exportNow(exporter, finishedSpans(1));
    // The write that made pruning due returned first (it may run as a request's span ends).
    expect(prune).toHaveBeenCalledTimes(1);
    await nextTurn();
    expect(prune).toHaveBeenCalledTimes(2);
  });

  it("runs a backlog's further batches on later turns of the event loop, not all at once", async () => {
    let left = 3;
    const prune = vi
      .spyOn(log, "pruneBatch")
      .mockImplementation(() => ({ traces: 1, spans: 5, feedback: 0, annotations: 0, more: --left > 0 }));
    new SqliteSpanExporter(log, { retentionDays: 0, maxBytes: 1_000_000 });
    expect(prune).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(prune).toHaveBeenCalledTimes(3));
    await new Promise((resolve) => setImmediate(resolve));
    expect(prune).toHaveBeenCalledTimes(3);
  });

  it("never prunes with retentionDays 0 and no size cap", () => {
    const prune = vi.spyOn(log, "pruneBatch");
    const exporter = new SqliteSpanExporter(log, { retentionDays: 0 });
    exportNow(exporter, finishedSpans(1));
    expect(prune).not.toHaveBeenCalled();
  });

  it("reports a failed prune without failing the export", async () => {
    let now = 0;
    const failures: AppError[] = [];
    vi.spyOn(log, "pruneBatch").mockImplementation(() => {
      throw new Error("disk I/O error");
    });
    const exporter = new SqliteSpanExporter(log, { retentionDays: 7, now: () => now, onPruneError: (e) => failures.push(e) });
    now += HOUR_MS;
    expect(exportNow(exporter, finishedSpans(1))).toEqual([{ code: ExportResultCode.SUCCESS }]);
    await nextTurn();
    expect(failures.map((e) => e.code)).toEqual(["trace_log_failed", "trace_log_failed"]);
  });

  it("rejects a negative retention as a configuration error", () => {
    expect(() => new SqliteSpanExporter(log, { retentionDays: -1 })).toThrow(/retentionDays/);
  });
});

/** One turn of the event loop: pruning runs there, after the write. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
