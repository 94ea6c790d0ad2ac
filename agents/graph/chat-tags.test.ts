import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { context, trace } from "@opentelemetry/api";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { ScriptedChatModel } from "@/lib/llm/scripted-chat-model";
import { InMemorySessionStore } from "@/lib/sessions/session-store";
import { TracedRetriever } from "@/lib/telemetry/traced-retriever";
import { createTracingPipeline, type TracingPipeline } from "@/lib/telemetry/tracing-pipeline";
import { setActiveTracing } from "@/lib/telemetry/tracing-registry";
import { oneChunkRetriever } from "@/test-support/agents/one-chunk-retriever";
import { HashingTestEmbedder } from "@/test-support/embeddings/hashing-test-embedder";
import { runAgentChat } from "./run-agent-chat";
import { createAgentTools } from "./tools";

// A deploy sets APP_VERSION (a container has no package.json of its own version): the trace's
// version tags must carry it, or `npm run compare -- --before app:X` finds nothing. They carried
// package.json's version whatever APP_VERSION said.

process.env.APP_VERSION = "7.7.7-canary";
process.env.GIT_SHA = "abcdef123456";
const logDir = mkdtempSync(path.join(os.tmpdir(), "chat-tags-"));
let pipeline: TracingPipeline;
let provider: NodeTracerProvider;

beforeAll(() => {
  pipeline = createTracingPipeline(loadConfig({ PHOENIX_EXPORT: "off", TRACE_LOG_PATH: path.join(logDir, "traces.sqlite") }));
  provider = new NodeTracerProvider({ spanProcessors: pipeline.processors });
  provider.register();
  setActiveTracing(pipeline);
});
afterAll(async () => {
  await provider.shutdown();
  await pipeline.shutdown();
  trace.disable();
  context.disable();
  rmSync(logDir, { recursive: true, force: true });
});

it("tags the trace with the deploy's APP_VERSION and GIT_SHA", async () => {
  const embedder = new HashingTestEmbedder();
  const result = await runAgentChat(
    { message: "What is 6 * 7?" },
    {
      embedder,
      chatModel: new ScriptedChatModel({ script: () => "42" }),
      sessions: new InMemorySessionStore(),
      router: {
        route: () => Promise.resolve({ route: "calculator", confidence: 0.99, candidates: [{ route: "calculator", score: 0.9 }] }),
      },
      tools: createAgentTools({ retriever: new TracedRetriever(oneChunkRetriever(embedder)), k: 4 }),
      provider: "scripted",
    },
  );
  await pipeline.flush();
  const root = (await pipeline.traceLog.rootSpan(result.traceId))!;
  expect(JSON.parse(String(root.attributes.metadata))).toMatchObject({ app_version: "7.7.7-canary", git_sha: "abcdef123456" });
  expect(root.attributes["tag.tags"]).toEqual(expect.arrayContaining(["app:7.7.7-canary", "git:abcdef123456"]));
});
