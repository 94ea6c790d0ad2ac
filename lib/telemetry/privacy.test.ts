import { RunnableLambda } from "@langchain/core/runnables";
import { context, trace } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { instrumentLangChain } from "./langchain-instrumentation";
import { ioAttributes, OpenInferenceSpanKind, setAppTraceConfig, withSpan } from "./spans";

// OpenInference's privacy switches, read by lib/config.ts and applied to the app's spans and
// to LangChain's alike.

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

beforeAll(() => {
  const { privacy } = loadConfig({ OPENINFERENCE_HIDE_INPUTS: "true", OPENINFERENCE_HIDE_OUTPUTS: "1" }).tracing;
  provider.register();
  setAppTraceConfig(privacy);
  instrumentLangChain(privacy);
});
afterAll(async () => {
  setAppTraceConfig(undefined);
  await provider.shutdown();
  trace.disable();
  context.disable();
});

describe("privacy switches", () => {
  it("parse from the environment, embedding vectors hidden unless asked for", () => {
    expect(loadConfig({}).tracing.privacy).toMatchObject({ hideInputs: false, hideOutputs: false, hideEmbeddingVectors: true });
    expect(loadConfig({ OPENINFERENCE_HIDE_EMBEDDING_VECTORS: "false" }).tracing.privacy.hideEmbeddingVectors).toBe(false);
    expect(() => loadConfig({ OPENINFERENCE_HIDE_INPUTS: "yes please" })).toThrow(/OPENINFERENCE_HIDE_INPUTS/);
  });

  it("mask inputs and outputs on the app's spans and on LangChain's", async () => {
    exporter.reset();
    await withSpan("chat", { kind: OpenInferenceSpanKind.AGENT, attributes: ioAttributes("input", "my secret question") }, async (span) => {
      span.setAttributes(ioAttributes("output", "the private answer"));
      await RunnableLambda.from(async (x: string) => `${x} echoed`).invoke("private chain input");
    });
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name).sort()).toEqual(["RunnableLambda", "chat"]);
    const everything = JSON.stringify(spans.map((s) => s.attributes));
    for (const secret of ["my secret question", "the private answer", "private chain input", "echoed"])
      expect(everything).not.toContain(secret);
  });
});
