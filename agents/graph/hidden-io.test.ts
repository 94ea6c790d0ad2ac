import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { context, trace } from "@opentelemetry/api";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { ScriptedChatModel } from "@/lib/llm/scripted-chat-model";
import { InMemorySessionStore } from "@/lib/sessions/session-store";
import { instrumentLangChain } from "@/lib/telemetry/langchain-instrumentation";
import { TracedRetriever } from "@/lib/telemetry/traced-retriever";
import { createTracingPipeline, type TracingPipeline } from "@/lib/telemetry/tracing-pipeline";
import { setActiveTracing } from "@/lib/telemetry/tracing-registry";
import { HashingTestEmbedder } from "@/test-support/embeddings/hashing-test-embedder";
import { ROUTES, type RouteName } from "@/agents/routes/registry";
import { runAgentChat } from "./run-agent-chat";
import { createAgentTools } from "./tools";
import type { AgentDeps } from "./types";
import { oneChunkRetriever } from "@/test-support/agents/one-chunk-retriever";

// With OPENINFERENCE_HIDE_INPUTS and _OUTPUTS on, nothing a user typed reaches the trace log:
// a marker sent on every route (and again in a follow-up, so it is in the history too) must not
// appear in any attribute or event of any span, as the real pipeline stores them.

const MARKER = "zqxv-private-7731";
const embedder = new HashingTestEmbedder();
const retriever = oneChunkRetriever(embedder);

const questions: Record<RouteName, string> = {
  knowledge_base_search: `What is the returns policy for ${MARKER}?`,
  sales_query: `What were the Q3 2025 sales in EMEA for ${MARKER}?`,
  calculator: `What is 12 * 7 for ${MARKER}?`,
  run_code: `Write a Python function named f that returns the string "${MARKER}" and test it`,
  ask_followup: `${MARKER}?`,
};

const logDir = mkdtempSync(path.join(os.tmpdir(), "hidden-io-"));
let pipeline: TracingPipeline;
let provider: NodeTracerProvider;

beforeAll(() => {
  const config = loadConfig({
    OPENINFERENCE_HIDE_INPUTS: "true",
    OPENINFERENCE_HIDE_OUTPUTS: "true",
    PHOENIX_EXPORT: "off",
    TRACE_LOG_PATH: path.join(logDir, "traces.sqlite"),
  });
  pipeline = createTracingPipeline(config);
  provider = new NodeTracerProvider({ spanProcessors: pipeline.processors });
  provider.register();
  setActiveTracing(pipeline);
  instrumentLangChain(pipeline.traceConfig);
});
afterAll(async () => {
  await provider.shutdown();
  await pipeline.shutdown();
  trace.disable();
  context.disable();
  rmSync(logDir, { recursive: true, force: true });
});

function depsFor(route: RouteName): AgentDeps {
  // The scripted model repeats what it was asked: the worst case for a leak through outputs.
  const chatModel = new ScriptedChatModel({ script: ({ prompt }) => `You asked: ${prompt.slice(-200)}` });
  return {
    embedder,
    chatModel,
    sessions: new InMemorySessionStore(),
    router: {
      route: () =>
        Promise.resolve({
          route,
          confidence: 0.99,
          candidates: ROUTES.map((r, i) => ({ route: r, score: r === route ? 0.9 : 0.5 - i * 0.01 })),
        }),
    },
    tools: createAgentTools({ retriever: new TracedRetriever(retriever), k: 4 }),
    provider: "scripted",
  };
}

describe("hidden inputs and outputs", () => {
  it.each(ROUTES)("keep the user's text out of every span of a %s turn and its follow-up", async (route) => {
    const deps = depsFor(route);
    const sessionId = `hidden-io-${route.replace(/_/g, "-")}`;
    const first = await runAgentChat({ message: questions[route], sessionId }, deps);
    const second = await runAgentChat({ message: `and what about ${MARKER} again?`, sessionId }, deps);
    await pipeline.flush();
    for (const { traceId } of [first, second]) {
      const spans = await pipeline.traceLog.trace(traceId);
      expect(spans.length).toBeGreaterThan(1);
      const leaks = spans.flatMap((span) =>
        Object.entries({ ...span.attributes, events: span.events })
          .filter(([, value]) => JSON.stringify(value).includes(MARKER))
          .map(([key]) => `${span.name}: ${key}`),
      );
      expect(leaks).toEqual([]);
    }
  });
});
