import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PhoenixSpansNotFoundError } from "@/lib/telemetry/phoenix-client";
import type { SpanAnnotationInput } from "@/lib/telemetry/phoenix-rest-schemas";
import { SqliteSpanExporter } from "@/lib/telemetry/trace-log/sqlite-span-exporter";
import { openTempTraceLog, recordAgentTrace, tracerExportingTo } from "@/test-support/trace-log/recorded-traces";
import type { AgentStep, ChatResult, Source } from "./contract";
import { isSampled, scheduleOnlineEval, scoreOnline, type OnlineEvalDeps } from "./online-eval";

function source(id: string, text: string, score: number): Source {
  return { id, docId: id.split("#")[0]!, title: "Returns policy", snippet: text.slice(0, 40), text, score };
}

function routeStep(route: string, confidence: number, extra: Partial<Extract<AgentStep, { type: "route" }>> = {}): AgentStep {
  return {
    type: "route",
    route,
    reason: "router",
    candidates: [{ route, score: 0.7 }],
    confidence,
    llmConsulted: false,
    method: "router",
    ...extra,
  };
}

function kbResult(answer: string, sources: Source[], confidence = 0.97): ChatResult {
  return {
    answer,
    sources,
    steps: [
      routeStep("knowledge_base_search", confidence),
      { type: "tool_start", tool: "knowledge_base_search", input: { query: "q" } },
      { type: "tool_end", tool: "knowledge_base_search", output: sources.map((s) => `${s.id} (${s.score})`).join(", "), ms: 40 },
    ],
    traceId: "0af7651916cd43dd8448eb211c80319c",
    sessionId: "s-1",
  };
}

const policy = source("returns-policy#0", "Products can be returned within 30 days of delivery for a full refund.", 0.71);

describe("scoreOnline", () => {
  it("scores a grounded knowledge-base answer as supported, relevant and confidently routed", () => {
    const scores = scoreOnline({
      message: "How long do I have to return a product?",
      result: kbResult("You have 30 days from delivery.", [policy, source("warranty#1", "Two years.", 0.52)]),
    });
    expect(scores).toEqual([
      { name: "online.claims", score: 1, label: "supported", explanation: expect.stringContaining("All 1") },
      { name: "online.retrieval_relevance", score: 0.71, label: "ok", explanation: expect.stringContaining("mean 0.615") },
      { name: "online.route_confidence", score: 0.97, label: "ok", explanation: expect.stringContaining("knowledge_base_search") },
    ]);
  });

  it("names an invented figure, low retrieval and a doubtful route", () => {
    const offTopic = source("sales-report#3", "Quarterly revenue by region.", 0.21);
    const scores = scoreOnline({
      message: "Who won the 2018 World Cup?",
      result: kbResult("France won, beating Croatia 4-2.", [offTopic], 0.41),
    });
    const byName = Object.fromEntries(scores.map((s) => [s.name, s]));
    expect(byName["online.claims"]).toMatchObject({ label: "unsupported_claims" });
    expect(byName["online.claims"]!.score).toBeLessThan(1);
    expect(byName["online.claims"]!.explanation).toMatch(/France|Croatia/);
    expect(byName["online.retrieval_relevance"]).toMatchObject({ score: 0.21, label: "low" });
    expect(byName["online.route_confidence"]).toMatchObject({ score: 0.41, label: "low" });
  });

  it("counts tool outputs and the question as sources, and an abstention as nothing to check", () => {
    const sales: ChatResult = {
      answer: "EMEA revenue in Q2 was 1,250,000.",
      sources: [],
      steps: [routeStep("sales_query", 0.93), { type: "tool_end", tool: "sales_query", output: '{"rows":[{"revenue":1250000}]}', ms: 3 }],
      traceId: "1af7651916cd43dd8448eb211c80319c",
      sessionId: "s-2",
    };
    const scores = scoreOnline({ message: "What was EMEA revenue in Q2?", result: sales });
    // No knowledge-base search: no retrieval score.
    expect(scores.map((s) => s.name)).toEqual(["online.claims", "online.route_confidence"]);
    expect(scores[0]).toMatchObject({ score: 1, label: "supported" });

    const failed: ChatResult = {
      ...sales,
      steps: [
        routeStep("sales_query", 0.93),
        { type: "tool_end", tool: "sales_query", output: "1250000", ms: 3, error: { code: "tool_failed", message: "x" } },
      ],
    };
    expect(scoreOnline({ message: "What was revenue?", result: failed })[0]).toMatchObject({ label: "unsupported_claims" });
    expect(scoreOnline({ message: "x", result: kbResult("I don't know.", [policy]) })[0]).toMatchObject({ score: 1, label: "abstained" });
    expect(scoreOnline({ message: "x", result: { ...sales, answer: "", steps: [] } })).toEqual([]);
  });

  it("marks a search that found nothing as low relevance", () => {
    expect(
      scoreOnline({ message: "x", result: kbResult("Nothing found.", []) }).find((s) => s.name === "online.retrieval_relevance"),
    ).toMatchObject({ score: 0, label: "low" });
  });
});

describe("isSampled", () => {
  const ids = Array.from({ length: 400 }, (_, i) => i.toString(16).padStart(32, "0"));

  it("samples none at 0 and all at 1", () => {
    expect(ids.filter((id) => isSampled(id, 0))).toEqual([]);
    expect(ids.filter((id) => isSampled(id, 1))).toEqual(ids);
  });

  it("is deterministic per trace id and close to the rate, even for sequential ids", () => {
    const first = ids.filter((id) => isSampled(id, 0.25));
    expect(ids.filter((id) => isSampled(id, 0.25))).toEqual(first);
    expect(first.length).toBeGreaterThan(70);
    expect(first.length).toBeLessThan(130);
    // A larger rate keeps every trace a smaller one took: raising the rate only adds traces.
    const half = new Set(ids.filter((id) => isSampled(id, 0.5)));
    expect(first.every((id) => half.has(id))).toBe(true);
  });
});

describe("scheduleOnlineEval", () => {
  let temp: ReturnType<typeof openTempTraceLog>;
  beforeEach(() => {
    temp = openTempTraceLog();
  });
  afterEach(() => temp.remove());

  async function loggedTrace(): Promise<{ traceId: string; rootSpanId: string }> {
    const { tracer, provider } = tracerExportingTo(new SqliteSpanExporter(temp.log, { retentionDays: 0 }));
    const recorded = recordAgentTrace(tracer);
    await provider.forceFlush();
    return { traceId: recorded.traceId, rootSpanId: recorded.rootSpanId };
  }

  function deps(overrides: Partial<OnlineEvalDeps> = {}): OnlineEvalDeps {
    return { sample: 1, traceLog: temp.log, flush: async () => {}, retryDelaysMs: [0, 1, 1], warn: () => {}, ...overrides };
  }

  it("returns at once and annotates the trace log and Phoenix's root span in the background", async () => {
    const { traceId, rootSpanId } = await loggedTrace();
    const sent: SpanAnnotationInput[][] = [];
    let calls = 0;
    const phoenix = {
      annotateSpans: async (batch: readonly SpanAnnotationInput[]) => {
        // Phoenix has not ingested the span on the first try.
        if (calls++ === 0) throw new PhoenixSpansNotFoundError([rootSpanId], "not yet");
        sent.push([...batch]);
        return batch.map((_, i) => `id-${i}`);
      },
    };
    const scheduled = scheduleOnlineEval(
      { message: "How long do I have to return a product?", result: { ...kbResult("30 days.", [policy]), traceId } },
      deps({ phoenix }),
    );
    expect(scheduled.sampled).toBe(true);
    expect(temp.log.annotationsFor(traceId)).toEqual([]);
    expect(await scheduled.done).toEqual({ logged: 3, phoenix: "sent" });
    expect(temp.log.annotationsFor(traceId).map((a) => [a.name, a.annotatorKind, a.label, a.spanId])).toEqual([
      ["online.claims", "CODE", "supported", rootSpanId],
      ["online.retrieval_relevance", "CODE", "ok", rootSpanId],
      ["online.route_confidence", "CODE", "ok", rootSpanId],
    ]);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.every((a) => a.spanId === rootSpanId && a.identifier === "online-eval" && a.annotatorKind === "CODE")).toBe(true);
  });

  it("does nothing for a trace outside the sample", async () => {
    const { traceId } = await loggedTrace();
    const scheduled = scheduleOnlineEval({ message: "x", result: { ...kbResult("30 days.", [policy]), traceId } }, deps({ sample: 0 }));
    expect(scheduled.sampled).toBe(false);
    expect(await scheduled.done).toBeUndefined();
    expect(temp.log.annotationsFor(traceId)).toEqual([]);
  });

  it("always scores an answer the guard repaired, whatever the sample, and labels the repair", async () => {
    const { traceId } = await loggedTrace();
    const result = kbResult("I couldn't check a generated answer against the documents, so here is what they say: …", [policy]);
    result.steps.push({ type: "answer_check", verdict: "repaired", reason: "unsupported_claims", unsupported: 2 });
    const scheduled = scheduleOnlineEval({ message: "x", result: { ...result, traceId } }, deps({ sample: 0 }));
    expect(scheduled.sampled).toBe(true);
    await scheduled.done;
    const check = temp.log.annotationsFor(traceId).find((a) => a.name === "online.answer_check");
    expect(check).toMatchObject({ score: 0, label: "repaired", explanation: expect.stringContaining("2 unsupported") });
  });

  it("never throws: a trace that never reaches the log is one warning", async () => {
    const warn = vi.fn();
    const flush = vi.fn(async () => {});
    const scheduled = scheduleOnlineEval({ message: "x", result: kbResult("30 days.", [policy]) }, deps({ flush, warn }));
    expect(await scheduled.done).toBeUndefined();
    expect(flush).toHaveBeenCalled();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("not in the trace log"));
  });

  it("keeps the scores in the log when Phoenix fails for another reason", async () => {
    const { traceId } = await loggedTrace();
    const warn = vi.fn();
    const phoenix = { annotateSpans: async () => Promise.reject(new Error("Phoenix answered 500")) };
    const scheduled = scheduleOnlineEval({ message: "x", result: { ...kbResult("30 days.", [policy]), traceId } }, deps({ phoenix, warn }));
    expect(await scheduled.done).toEqual({ logged: 3, phoenix: "failed" });
    expect(temp.log.annotationsFor(traceId)).toHaveLength(3);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("500"));
  });
});
