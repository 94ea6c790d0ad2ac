import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { RunnableLambda } from "@langchain/core/runnables";
import { context, trace } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { instrumentLangChain } from "./langchain-instrumentation";
import { ioAttributes, OpenInferenceSpanKind, withSpan } from "./spans";
import { createTracingPipeline, type TracingPipeline } from "./tracing-pipeline";
import { setActiveTracing } from "./tracing-registry";

// OpenInference's privacy switches, read by lib/config.ts and applied to the app's spans and
// to LangChain's alike. Set up as instrumentation.ts does it: a provider (here one that keeps
// the spans in memory), the pipeline registered for the app's tracer, LangChain instrumented
// with the pipeline's trace config.

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const logDir = mkdtempSync(path.join(os.tmpdir(), "privacy-test-"));
let pipeline: TracingPipeline;

beforeAll(() => {
  const config = loadConfig({
    OPENINFERENCE_HIDE_INPUTS: "true",
    OPENINFERENCE_HIDE_OUTPUTS: "1",
    PHOENIX_EXPORT: "off",
    TRACE_LOG_PATH: path.join(logDir, "traces.sqlite"),
  });
  pipeline = createTracingPipeline(config);
  provider.register();
  setActiveTracing(pipeline);
  instrumentLangChain(pipeline.traceConfig);
});
afterAll(async () => {
  await pipeline.shutdown();
  await provider.shutdown();
  trace.disable();
  context.disable();
  rmSync(logDir, { recursive: true, force: true });
});

describe("privacy switches", () => {
  it("parse from the environment, embedding vectors hidden unless asked for", () => {
    expect(loadConfig({}).tracing.privacy).toMatchObject({ hideInputs: false, hideOutputs: false, hideEmbeddingVectors: true });
    expect(loadConfig({ OPENINFERENCE_HIDE_EMBEDDING_VECTORS: "false" }).tracing.privacy.hideEmbeddingVectors).toBe(false);
    expect(() => loadConfig({ OPENINFERENCE_HIDE_INPUTS: "yes please" })).toThrow(/OPENINFERENCE_HIDE_INPUTS/);
  });

  it("cover every flag of OpenInference's trace config, so none is read from the environment unvalidated", () => {
    expect(loadConfig({}).tracing.privacy).toEqual({
      hideInputs: false,
      hideOutputs: false,
      hideInputMessages: false,
      hideOutputMessages: false,
      hideInputImages: false,
      hideInputText: false,
      hideOutputText: false,
      hideEmbeddingVectors: true,
      hideLLMTools: false,
      hidePrompts: false,
      base64ImageMaxLength: 32_000,
    });
    const { privacy } = loadConfig({
      OPENINFERENCE_HIDE_INPUT_IMAGES: "true",
      OPENINFERENCE_HIDE_LLM_TOOLS: "1",
      OPENINFERENCE_HIDE_PROMPTS: "true",
      OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH: "1000",
    }).tracing;
    expect(privacy).toMatchObject({ hideInputImages: true, hideLLMTools: true, hidePrompts: true, base64ImageMaxLength: 1000 });
    expect(() => loadConfig({ OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH: "lots" })).toThrow(/OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH/);
  });

  it("mask inputs and outputs on the app's spans and on LangChain's", async () => {
    exporter.reset();
    await withSpan("chat", { kind: OpenInferenceSpanKind.AGENT, attributes: ioAttributes("input", "my secret question") }, async (span) => {
      span.setAttributes(ioAttributes("output", "the private answer"));
      await RunnableLambda.from((x: string) => `${x} echoed`).invoke("private chain input");
    });
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name).sort()).toEqual(["RunnableLambda", "chat"]);
    const everything = JSON.stringify(spans.map((s) => s.attributes));
    for (const secret of ["my secret question", "the private answer", "private chain input", "echoed"])
      expect(everything).not.toContain(secret);
  });
});
