import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TraceLogReader } from "@/lib/telemetry/trace-log/trace-reader";
import { openTempTraceLog } from "@/test-support/trace-log/recorded-traces";
import { recordRequest, tracerInto } from "@/test-support/monitoring/request-traces";
import { aggregate, metricDefinition, type Aggregation } from "./metrics";
import { readRequests } from "./read-requests";
import type { RequestFacts } from "./request-facts";
import { metricSeries, RequestHistory, samplesByGroup, type GroupFilter } from "./request-history";

// Three production requests and one eval run's, every expected value worked out by hand below.
const T = Date.parse("2026-01-01T00:00:00Z");

describe("metrics over a fixture trace log", () => {
  let temp: ReturnType<typeof openTempTraceLog>;
  let facts: RequestFacts[];
  const ids: string[] = [];

  beforeEach(async () => {
    temp = openTempTraceLog();
    const { tracer, provider } = tracerInto(temp.log);
    ids.length = 0;
    ids.push(
      recordRequest(tracer, {
        atMs: T + 1_000,
        latencyMs: 1_000,
        routeConfidence: 0.9,
        retrieval: { embedMs: 10, searchMs: 20, scores: [0.8, 0.6] },
        tools: [{ name: "knowledge_base_search", ms: 50 }],
        llm: [{ ms: 400, promptTokens: 100, completionTokens: 20, costUsd: 0.002 }],
      }),
      recordRequest(tracer, {
        atMs: T + 2_000,
        latencyMs: 3_000,
        route: "sales_query",
        failed: true,
        output: "I don't know.",
        routeConfidence: 0.5,
        tools: [{ name: "sales_query", ms: 100, failed: true }],
        llm: [
          { ms: 1_000, promptTokens: 300, completionTokens: 40, costUsd: 0.006 },
          { ms: 500, promptTokens: 50, completionTokens: 10, costUsd: 0.001 },
        ],
      }),
      recordRequest(tracer, {
        atMs: T + 3_000,
        latencyMs: 2_000,
        userId: "user-1",
        routeConfidence: 0.7,
        retrieval: { embedMs: 10, searchMs: 30, scores: [0.4] },
        tools: [{ name: "knowledge_base_search", ms: 60 }],
        llm: [{ ms: 600, promptTokens: 200, completionTokens: 30, costUsd: 0.003 }],
      }),
      recordRequest(tracer, { atMs: T + 4_000, latencyMs: 500, evalRunId: "run-1" }),
    );
    await provider.forceFlush();
    const [r1, r2, r3] = ids as [string, string, string];
    const online = (traceId: string, name: string, score: number, label: string) =>
      temp.log.addAnnotation({ traceId, name, annotatorKind: "CODE", score, label });
    online(r1, "online.claims", 1, "supported");
    online(r3, "online.claims", 0.5, "unsupported_claims");
    online(r1, "online.retrieval_relevance", 0.8, "ok");
    online(r3, "online.retrieval_relevance", 0.4, "low");
    temp.log.addFeedback({ traceId: r1, score: 1 });
    temp.log.addFeedback({ traceId: r1, score: 0 });
    temp.log.addFeedback({ traceId: r2, score: 1 });
    facts = await readRequests(new TraceLogReader(temp.log), T, T + 60_000);
  });
  afterEach(() => temp.remove());

  const production: GroupFilter = { source: "production" };
  const value = (metric: string, aggregation: Aggregation, filter: GroupFilter = production) =>
    aggregate(aggregation, samplesByGroup(facts, metricDefinition(metric)!, [], filter).get("*") ?? []);

  it("reads one request per chat trace, with its groups", () => {
    expect(facts.map((f) => f.groups)).toEqual([
      {
        route: "knowledge_base_search",
        model: "test-model",
        app_version: "1.0.0",
        prompt_version: "prompts-1",
        segment: "anonymous",
        source: "production",
      },
      {
        route: "sales_query",
        model: "test-model",
        app_version: "1.0.0",
        prompt_version: "prompts-1",
        segment: "anonymous",
        source: "production",
      },
      {
        route: "knowledge_base_search",
        model: "test-model",
        app_version: "1.0.0",
        prompt_version: "prompts-1",
        segment: "identified",
        source: "production",
      },
      {
        route: "knowledge_base_search",
        model: "test-model",
        app_version: "1.0.0",
        prompt_version: "prompts-1",
        segment: "anonymous",
        source: "eval",
      },
    ]);
  });

  it("counts requests, errors and tool failures", () => {
    expect(value("request_count", "count", {})).toBe(4);
    expect(value("request_count", "count")).toBe(3);
    expect(value("error_rate", "rate")).toBeCloseTo(1 / 3, 12);
    // Tool calls: ok, failed, ok.
    expect(value("tool_failure_rate", "rate")).toBeCloseTo(1 / 3, 12);
  });

  it("measures latency of the request and of each step kind", () => {
    expect(value("request_latency_ms", "p50")).toBe(2_000);
    // [1000, 2000, 3000]: rank 0.95 · 2 = 1.9 → 2000 + 0.9 · 1000.
    expect(value("request_latency_ms", "p95")).toBeCloseTo(2_900, 9);
    expect(value("request_latency_ms", "p99")).toBeCloseTo(2_980, 9);
    // LLM spans [400, 1000, 500, 600]: rank 1.5 of the sorted four → (500 + 600) / 2.
    expect(value("step_latency_ms.LLM", "p50")).toBeCloseTo(550, 9);
    expect(value("step_latency_ms.RETRIEVER", "mean")).toBeCloseTo(25, 9);
    expect(value("step_latency_ms.EMBEDDING", "max")).toBeCloseTo(10, 9);
    expect(value("step_latency_ms.TOOL", "sum")).toBeCloseTo(210, 9);
    expect(value("tool_latency_ms.sales_query", "mean")).toBeCloseTo(100, 9);
    expect(metricDefinition("step_latency_ms.CHAIN")).toBeUndefined();
  });

  it("sums tokens and cost per request with request-measures, as the eval gate does", () => {
    expect(value("prompt_tokens", "sum")).toBe(650);
    expect(value("prompt_tokens", "mean")).toBeCloseTo(650 / 3, 9);
    expect(value("completion_tokens", "sum")).toBe(100);
    expect(value("cost_usd", "sum")).toBeCloseTo(0.012, 12);
    expect(value("cost_usd", "mean")).toBeCloseTo(0.004, 12);
  });

  it("reads retrieval, online eval, routing, abstention and feedback", () => {
    expect(value("retrieval_top_score", "mean")).toBeCloseTo(0.6, 9);
    expect(value("retrieval_relevance", "p50")).toBeCloseTo(0.6, 9);
    expect(value("hallucination_rate", "rate")).toBe(0.5);
    expect(value("route_confidence", "p50")).toBeCloseTo(0.7, 9);
    expect(value("route_share.knowledge_base_search", "rate")).toBeCloseTo(2 / 3, 12);
    expect(value("abstention_rate", "rate")).toBeCloseTo(1 / 3, 12);
    // The first request's latest feedback is 👎, the second's 👍; the third has none.
    expect(value("thumbs_down_rate", "rate")).toBe(0.5);
    expect(value("thumbs_up_rate", "rate")).toBe(0.5);
  });

  it("gives a series per time bucket and group", () => {
    const points = metricSeries(new RequestHistory(facts), {
      metric: metricDefinition("request_latency_ms")!,
      aggregation: "mean",
      bucketMs: 2_500,
      from: T,
      to: T + 5_000,
      groupBy: ["route"],
      filter: production,
    });
    expect(points).toEqual([
      { bucketStartMs: T, group: "route=knowledge_base_search", n: 1, value: 1_000 },
      { bucketStartMs: T, group: "route=sales_query", n: 1, value: 3_000 },
      { bucketStartMs: T + 2_500, group: "route=knowledge_base_search", n: 1, value: 2_000 },
    ]);
  });
});

describe("answer guard metrics", () => {
  let temp: ReturnType<typeof openTempTraceLog>;
  afterEach(() => temp.remove());

  it("counts repaired answers as repairs and as the model's hallucinations", async () => {
    temp = openTempTraceLog();
    const { tracer, provider } = tracerInto(temp.log);
    recordRequest(tracer, { atMs: T + 1_000, latencyMs: 900, guardVerdict: "repaired" });
    recordRequest(tracer, { atMs: T + 2_000, latencyMs: 900, guardVerdict: "supported" });
    recordRequest(tracer, { atMs: T + 3_000, latencyMs: 900, guardVerdict: "abstained" });
    // No guard ran (another route): neither metric has a sample from it.
    recordRequest(tracer, { atMs: T + 4_000, latencyMs: 900, route: "calculator" });
    await provider.forceFlush();
    const facts = await readRequests(new TraceLogReader(temp.log), T, T + 60_000);
    const rate = (metric: string) => aggregate("rate", samplesByGroup(facts, metricDefinition(metric)!, [], {}).get("*") ?? []);
    expect(facts.map((f) => f.answerRepaired)).toEqual([true, false, false, undefined]);
    expect(rate("answer_repair_rate")).toBeCloseTo(1 / 3, 12);
    expect(rate("hallucination_rate")).toBeCloseTo(1 / 3, 12);
  });
});
