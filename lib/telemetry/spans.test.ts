import { trace } from "@opentelemetry/api";
import { BasicTracerProvider, type SpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, describe, expect, it } from "vitest";
import { OpenInferenceSpanKind, withSpan } from "./spans";

// A span processor with a bug: telemetry must never break the request that ends a span.
const broken: SpanProcessor = {
  onStart: () => undefined,
  onEnd: () => {
    throw new Error("processor bug");
  },
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

describe("withSpan", () => {
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [broken] }));
  afterAll(() => trace.disable());

  it("returns the request's result when ending the span throws", async () => {
    await expect(withSpan("step", { kind: OpenInferenceSpanKind.CHAIN }, () => Promise.resolve(42))).resolves.toBe(42);
  });

  it("rethrows the request's own error, not the span pipeline's", async () => {
    const own = new Error("the request failed");
    await expect(withSpan("step", { kind: OpenInferenceSpanKind.CHAIN }, () => Promise.reject(own))).rejects.toBe(own);
  });
});
