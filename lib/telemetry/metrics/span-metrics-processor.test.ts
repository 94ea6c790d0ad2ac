import { ROOT_CONTEXT, SpanStatusCode, trace, type Attributes, type Span } from "@opentelemetry/api";
import { PrometheusExporter, PrometheusSerializer } from "@opentelemetry/exporter-prometheus";
import { MeterProvider } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors";
import { parsePrometheusText, sample } from "@/test-support/metrics/prometheus-text";
import { SpanMetricsProcessor } from "./span-metrics-processor";

function harness() {
  const prometheus = new PrometheusExporter({ preventServerStart: true });
  const provider = new MeterProvider({ readers: [prometheus] });
  const warn = vi.fn();
  const processor = new SpanMetricsProcessor(provider.getMeter("test"), { knownModels: ["gpt-4o-mini", "smollm2-135m"], warn });
  const tracer = new BasicTracerProvider({ spanProcessors: [processor] }).getTracer("test");
  /** A finished span lasting `seconds`, under `parent` when given. */
  const span = (attributes: Attributes, options: { seconds?: number; parent?: Span; fail?: unknown } = {}): Span => {
    const parentContext = options.parent ? trace.setSpan(ROOT_CONTEXT, options.parent) : ROOT_CONTEXT;
    const s = tracer.startSpan("span", { attributes, startTime: [1_000, 0] }, parentContext);
    if (options.fail !== undefined) {
      if (options.fail instanceof Error) s.recordException(options.fail);
      s.setStatus({ code: SpanStatusCode.ERROR });
    }
    const seconds = options.seconds ?? 0.25;
    s.end([1_000 + Math.floor(seconds), Math.round((seconds % 1) * 1e9)]);
    return s;
  };
  const scrape = async () => parsePrometheusText(new PrometheusSerializer().serialize((await prometheus.collect()).resourceMetrics));
  return { span, scrape, processor, warn, collect: () => prometheus.collect() };
}

const llm = (extra: Attributes = {}): Attributes => ({
  "openinference.span.kind": "LLM",
  "llm.provider": "openai",
  "llm.model_name": "gpt-4o-mini",
  ...extra,
});
const chat = { gen_ai_operation_name: "chat", gen_ai_provider_name: "openai", gen_ai_request_model: "gpt-4o-mini" };

describe("SpanMetricsProcessor: LLM spans → GenAI metrics", () => {
  it("records input and output tokens in gen_ai.client.token.usage", async () => {
    const h = harness();
    h.span(llm({ "llm.token_count.prompt": 120, "llm.token_count.completion": 30 }));
    h.span(llm({ "llm.token_count.prompt": 80, "llm.token_count.completion": 10 }));
    const samples = await h.scrape();
    const input = { ...chat, gen_ai_token_type: "input" };
    expect(sample(samples, "gen_ai_client_token_usage_count", input).value).toBe(2);
    expect(sample(samples, "gen_ai_client_token_usage_sum", input).value).toBe(200);
    expect(sample(samples, "gen_ai_client_token_usage_sum", { ...chat, gen_ai_token_type: "output" }).value).toBe(40);
    // 120 and 80 both fall in the conventions' (64, 256] bucket.
    expect(sample(samples, "gen_ai_client_token_usage_bucket", { ...input, le: "64" }).value).toBe(0);
    expect(sample(samples, "gen_ai_client_token_usage_bucket", { ...input, le: "256" }).value).toBe(2);
  });

  it("records each call's duration in seconds in gen_ai.client.operation.duration, without error.type when it succeeded", async () => {
    const h = harness();
    h.span(llm(), { seconds: 1.5 });
    const samples = await h.scrape();
    expect(sample(samples, "gen_ai_client_operation_duration_sum", chat).value).toBeCloseTo(1.5, 6);
    expect(sample(samples, "gen_ai_client_operation_duration_bucket", { ...chat, le: "1.28" }).value).toBe(0);
    expect(sample(samples, "gen_ai_client_operation_duration_bucket", { ...chat, le: "2.56" }).value).toBe(1);
    expect(sample(samples, "gen_ai_client_operation_duration_count", chat).labels).not.toHaveProperty("error_type");
  });

  it("sets error.type on a failed call: the error's code, or _OTHER when no exception was recorded", async () => {
    const h = harness();
    h.span(llm(), { fail: new AppError("llm_timeout", "no answer in time") });
    h.span(llm(), { fail: "status only" });
    h.span(llm());
    const samples = await h.scrape();
    expect(sample(samples, "gen_ai_client_operation_duration_count", { ...chat, error_type: "llm_timeout" }).value).toBe(1);
    expect(sample(samples, "gen_ai_client_operation_duration_count", { ...chat, error_type: "_OTHER" }).value).toBe(1);
    const ok = samples.filter((s) => s.name === "gen_ai_client_operation_duration_count" && !("error_type" in s.labels));
    expect(ok.map((s) => s.value)).toEqual([1]);
  });

  it("adds llm.cost.total to rag.llm.cost (USD) by provider and model", async () => {
    const h = harness();
    h.span(llm({ "llm.cost.total": 0.001 }));
    h.span(llm({ "llm.cost.total": 0.002 }));
    h.span({ ...llm({ "llm.cost.total": 0 }), "llm.provider": "llama.cpp", "llm.model_name": "smollm2-135m" });
    const samples = await h.scrape();
    expect(sample(samples, "rag_llm_cost_total", chat).value).toBeCloseTo(0.003, 9);
    expect(sample(samples, "rag_llm_cost_total", { gen_ai_provider_name: "llama.cpp", gen_ai_request_model: "smollm2-135m" }).value).toBe(
      0,
    );
  });

  it("buckets a model outside the known set, and keeps a dated name as its known family", async () => {
    const h = harness();
    h.span(llm({ "llm.model_name": "gpt-4o-mini-2024-07-18", "llm.token_count.prompt": 1 }));
    h.span(llm({ "llm.model_name": "someones-finetune-v7", "llm.provider": "acme", "llm.token_count.prompt": 1 }));
    const samples = await h.scrape();
    expect(sample(samples, "gen_ai_client_token_usage_count", { ...chat, gen_ai_token_type: "input" }).value).toBe(1);
    const other = { gen_ai_provider_name: "_OTHER", gen_ai_request_model: "_OTHER", gen_ai_token_type: "input" };
    expect(sample(samples, "gen_ai_client_token_usage_count", other).value).toBe(1);
  });
});

describe("SpanMetricsProcessor: the app's own metrics", () => {
  it("records the best document score of each retrieval in rag.retrieval.top_score", async () => {
    const h = harness();
    const docs = (scores: number[]): Attributes => {
      const attributes: Attributes = {};
      scores.forEach((score, i) => {
        attributes[`retrieval.documents.${i}.document.id`] = `chunk-${i}`;
        attributes[`retrieval.documents.${i}.document.score`] = score;
      });
      return attributes;
    };
    h.span({ "openinference.span.kind": "RETRIEVER", ...docs([0.42, 0.77, 0.5]) });
    h.span({ "openinference.span.kind": "RETRIEVER", ...docs([0.31]) });
    h.span({ "openinference.span.kind": "RETRIEVER" }); // found nothing: no score to record
    const samples = await h.scrape();
    expect(sample(samples, "rag_retrieval_top_score_count").value).toBe(2);
    expect(sample(samples, "rag_retrieval_top_score_sum").value).toBeCloseTo(1.08, 9);
    expect(sample(samples, "rag_retrieval_top_score_bucket", { le: "0.4" }).value).toBe(1);
  });

  it("records the root AGENT span's duration in rag.request.duration by route, with error.type when it failed", async () => {
    const h = harness();
    const root = h.span({ "openinference.span.kind": "AGENT", "agent.route": "knowledge_base" }, { seconds: 3 });
    h.span({ "openinference.span.kind": "AGENT", "agent.route": "knowledge_base" }, { parent: root }); // not a request
    h.span({ "openinference.span.kind": "AGENT", "agent.route": "calculator" }, { seconds: 0.5 });
    h.span({ "openinference.span.kind": "AGENT" }, { fail: new AppError("turn_deadline", "too slow") });
    h.span({ "openinference.span.kind": "CHAIN", "agent.route": "calculator" }); // not an agent run
    const samples = await h.scrape();
    expect(sample(samples, "rag_request_duration_count", { agent_route: "knowledge_base" }).value).toBe(1);
    expect(sample(samples, "rag_request_duration_sum", { agent_route: "knowledge_base" }).value).toBeCloseTo(3, 6);
    expect(sample(samples, "rag_request_duration_count", { agent_route: "calculator" }).value).toBe(1);
    expect(sample(samples, "rag_request_duration_count", { agent_route: "none", error_type: "turn_deadline" }).value).toBe(1);
  });

  it("ignores spans that are not OpenInference's (Next.js's HTTP spans)", async () => {
    const h = harness();
    h.span({ "http.route": "/api/chat", "http.response.status_code": 200 });
    expect((await h.scrape()).filter((s) => s.name !== "target_info")).toEqual([]);
  });

  it("never throws into span.end(): a span it cannot read is counted, and warned about once", () => {
    const h = harness();
    const broken = {
      name: "broken",
      get attributes(): Attributes {
        throw new Error("unreadable");
      },
    } as unknown as ReadableSpan;
    expect(() => h.processor.onEnd(broken)).not.toThrow();
    expect(() => h.processor.onEnd(broken)).not.toThrow();
    expect(h.processor.failures).toBe(2);
    expect(h.warn).toHaveBeenCalledTimes(1);
  });
});

describe("SpanMetricsProcessor: metric attributes stay low-cardinality", () => {
  const SECRET_VALUES = [
    "session-6f1c2a",
    "user-alice@example.com",
    "What is my colleague Bob's salary?",
    "4bf92f3577b34da6a3ce929d0e0e4736",
  ];
  const [sessionId, userId, input, traceish] = SECRET_VALUES as [string, string, string, string];
  const personal: Attributes = {
    "session.id": sessionId,
    "user.id": userId,
    "input.value": input,
    "output.value": input,
    "tag.tags": [userId],
    metadata: JSON.stringify({ session_id: sessionId, trace: traceish }),
  };
  const common = ["gen_ai.operation.name", "gen_ai.provider.name", "gen_ai.request.model"];
  const ALLOWED: Record<string, { required: string[]; optional: string[] }> = {
    "gen_ai.client.token.usage": { required: [...common, "gen_ai.token.type"], optional: [] },
    "gen_ai.client.operation.duration": { required: common, optional: ["error.type"] },
    "rag.llm.cost": { required: common, optional: [] },
    "rag.request.duration": { required: ["agent.route"], optional: ["error.type"] },
    "rag.retrieval.top_score": { required: [], optional: [] },
  };

  it("exports no user, session, trace id or text, and exactly the allowed attribute keys", async () => {
    const h = harness();
    for (let i = 0; i < 50; i++) {
      const root = h.span({ ...personal, "openinference.span.kind": "AGENT", "agent.route": i % 2 ? "knowledge_base" : input });
      h.span(
        { ...personal, ...llm({ "llm.token_count.prompt": 10, "llm.cost.total": 0.0001, "llm.model_name": `ft:${userId}:${i}` }) },
        { parent: root },
      );
      h.span({ ...personal, ...llm({ "llm.provider": input }) }, { parent: root, fail: Object.assign(new Error(input), { name: input }) });
      h.span({ ...personal, "openinference.span.kind": "RETRIEVER", "retrieval.documents.0.document.score": 0.5 }, { parent: root });
      // Route names that look like the app's own, more than the cap allows.
      h.span({ ...personal, "openinference.span.kind": "AGENT", "agent.route": `route_${i}` }, { fail: new AppError("internal", input) });
    }
    const { resourceMetrics } = await h.collect();
    const metrics = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
    expect(new Set(metrics.map((m) => m.descriptor.name))).toEqual(new Set(Object.keys(ALLOWED)));
    for (const metric of metrics) {
      const allowed = ALLOWED[metric.descriptor.name]!;
      for (const point of metric.dataPoints) {
        const keys = Object.keys(point.attributes);
        expect(keys, metric.descriptor.name).toEqual(expect.arrayContaining(allowed.required));
        expect([...allowed.required, ...allowed.optional], metric.descriptor.name).toEqual(expect.arrayContaining(keys));
        for (const value of Object.values(point.attributes)) {
          for (const secret of SECRET_VALUES) expect(String(value)).not.toContain(secret);
        }
      }
    }
    // 32 learned routes at most, then _OTHER: the series count is bounded however many names appear.
    const routes = metrics.find((m) => m.descriptor.name === "rag.request.duration")!.dataPoints.map((p) => p.attributes["agent.route"]);
    expect(new Set(routes).size).toBeLessThanOrEqual(32 + 2);
    expect(routes).toContain("_OTHER");
    const text = new PrometheusSerializer().serialize(resourceMetrics);
    for (const secret of SECRET_VALUES) expect(text).not.toContain(secret);
  });
});
