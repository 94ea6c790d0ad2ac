import net from "node:net";
import { SpanStatusCode } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { parsePriceTable } from "../pricing/price-table";
import { AppAttributes } from "./attributes";
import { GuardedSpanExporter } from "./guarded-exporter";
import { llmCostTransform } from "./llm-cost";
import { OpenInferenceOnlyProcessor } from "./openinference-only-processor";
import { REDACTED, secretRedactionTransform } from "./secret-redaction";
import { mustSucceed, TransformingSpanProcessor } from "./span-transform";

const prices = parsePriceTable({
  version: "test-2026",
  currency: "USD",
  unit: "per 1M tokens",
  models: { "gpt-4o-mini": { prompt: 0.15, completion: 0.6 }, "smollm2-135m": { prompt: 0, completion: 0 } },
});
const KEY = "sk-test-0123456789abcdef";

function pipeline() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    spanProcessors: [
      new TransformingSpanProcessor(
        [llmCostTransform(prices), secretRedactionTransform([KEY, "short"])],
        [new OpenInferenceOnlyProcessor(new SimpleSpanProcessor(exporter))],
      ),
    ],
  });
  return { exporter, tracer: provider.getTracer("test") };
}

describe("span pipeline", () => {
  it("prices an LLM span from its token counts, with provider and model from LangChain's metadata", () => {
    const { exporter, tracer } = pipeline();
    const span = tracer.startSpan("ChatOpenAI", {
      attributes: {
        "openinference.span.kind": "LLM",
        metadata: JSON.stringify({ ls_provider: "openai", ls_model_name: "gpt-4o-mini-2024-07-18" }),
        "llm.token_count.prompt": 1_000_000,
        "llm.token_count.completion": 500_000,
      },
    });
    span.end();
    const [out] = exporter.getFinishedSpans();
    expect(out!.attributes).toMatchObject({
      "llm.provider": "openai",
      "llm.model_name": "gpt-4o-mini-2024-07-18",
      "llm.cost.prompt": 0.15,
      "llm.cost.completion": 0.3,
      [AppAttributes.PRICE_TABLE_VERSION]: "test-2026",
    });
    expect(out!.attributes["llm.cost.total"]).toBeCloseTo(0.45, 10);
    // The view keeps the span's identity and timing.
    expect(out!.spanContext().spanId).toBe(span.spanContext().spanId);
    expect(out!.duration).toEqual(expect.any(Array));
  });

  it("counts a local model's tokens at zero cost, and leaves an unpriced model without a cost", () => {
    const { exporter, tracer } = pipeline();
    for (const model of ["smollm2-135m", "mystery-model"]) {
      tracer
        .startSpan("LocalChatModel", {
          attributes: {
            "openinference.span.kind": "LLM",
            "llm.model_name": model,
            "llm.token_count.prompt": 10,
            "llm.token_count.completion": 5,
          },
        })
        .end();
    }
    const [local, mystery] = exporter.getFinishedSpans();
    expect(local!.attributes["llm.cost.total"]).toBe(0);
    expect(mystery!.attributes["llm.cost.total"]).toBeUndefined();
  });

  it("redacts an API key from attributes, arrays and exception events", () => {
    const { exporter, tracer } = pipeline();
    const span = tracer.startSpan("ChatOpenAI", {
      attributes: {
        "openinference.span.kind": "LLM",
        "llm.invocation_parameters": JSON.stringify({ model: "gpt-4o-mini", apiKey: KEY }),
        "tag.tags": ["ok", `key=${KEY}`],
        "input.value": "a short word stays",
      },
    });
    span.recordException(new Error(`401 for key ${KEY}`));
    span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
    const [out] = exporter.getFinishedSpans();
    const everything = JSON.stringify({ a: out!.attributes, e: out!.events });
    expect(everything).not.toContain(KEY);
    expect(String(out!.attributes["llm.invocation_parameters"])).toContain(REDACTED);
    expect(out!.attributes["tag.tags"]).toEqual(["ok", `key=${REDACTED}`]);
    expect(out!.attributes["input.value"]).toBe("a short word stays");
  });

  it("passes on OpenInference spans only (Next.js's own HTTP spans stay out)", () => {
    const { exporter, tracer } = pipeline();
    tracer.startSpan("GET /api/chat").end();
    tracer.startSpan("chat", { attributes: { "openinference.span.kind": "AGENT" } }).end();
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(["chat"]);
  });
});

describe("GuardedSpanExporter", () => {
  it("drops spans for an unreachable Phoenix with one warning and a counter", async () => {
    // A port nobody listens on: bind, read the port, close.
    const port = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, "127.0.0.1", () => {
        const address = server.address() as net.AddressInfo;
        server.close(() => resolve(address.port));
      });
    });
    const warnings: string[] = [];
    const guarded = new GuardedSpanExporter(
      new OTLPTraceExporter({ url: `http://127.0.0.1:${port}/v1/traces`, timeoutMillis: 2_000 }),
      `http://127.0.0.1:${port}`,
      (m) => warnings.push(m),
    );
    // As in production: a batch processor in front, so the failure stays off the caller's path.
    const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(guarded, { scheduledDelayMillis: 10 })] });
    const tracer = provider.getTracer("test");
    for (let i = 0; i < 3; i++) tracer.startSpan(`s${i}`).end();
    await expect.poll(() => guarded.stats().dropped, { timeout: 15_000 }).toBe(3);
    expect(guarded.stats().exported).toBe(0);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("npm run phoenix");
    await provider.shutdown();
  }, 30_000);
});

describe("a span transform that throws", () => {
  const throwing = () => {
    throw new Error("transform bug");
  };
  const kind = { attributes: { "openinference.span.kind": "CHAIN" } };

  function withTransforms(transforms: ConstructorParameters<typeof TransformingSpanProcessor>[0]) {
    const exporter = new InMemorySpanExporter();
    const processor = new TransformingSpanProcessor(transforms, [new SimpleSpanProcessor(exporter)]);
    const provider = new BasicTracerProvider({ spanProcessors: [processor] });
    return { exporter, processor, tracer: provider.getTracer("test") };
  }

  it("is skipped: span.end() does not throw and the span is exported without it", () => {
    const { exporter, processor, tracer } = withTransforms([throwing, llmCostTransform(prices)]);
    const span = tracer.startSpan("step", kind);
    expect(() => span.end()).not.toThrow();
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(["step"]);
    expect(processor.failures).toEqual({ skipped: 1, dropped: 0 });
  });

  it("drops the span when it must succeed (redaction): never exported unredacted", () => {
    const { exporter, processor, tracer } = withTransforms([mustSucceed(throwing)]);
    tracer.startSpan("step", { attributes: { "input.value": KEY } }).end();
    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(processor.failures).toEqual({ skipped: 0, dropped: 1 });
  });
});
