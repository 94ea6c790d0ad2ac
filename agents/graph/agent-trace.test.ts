import { tool } from "@langchain/core/tools";
import { context, trace } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import path from "node:path";
import { HashingTestEmbedder } from "@/test-support/embeddings/hashing-test-embedder";
import { AppError } from "@/lib/errors";
import { ScriptedChatModel } from "@/lib/llm/scripted-chat-model";
import { loadPriceTable } from "@/lib/pricing/price-table";
import { InMemorySessionStore } from "@/lib/sessions/session-store";
import { instrumentLangChain } from "@/lib/telemetry/langchain-instrumentation";
import { llmCostTransform } from "@/lib/telemetry/llm-cost";
import { TransformingSpanProcessor } from "@/lib/telemetry/span-transform";
import { TracedRetriever } from "@/lib/telemetry/traced-retriever";
import { ROUTES, type RouteName } from "@/agents/routes/registry";
import { runAgentChat } from "./run-agent-chat";
import { createAgentTools } from "./tools";
import type { AgentDeps } from "./types";
import { oneChunkRetriever, RETURNS_CHUNK } from "@/test-support/agents/one-chunk-retriever";

// The trace shape of DESIGN.md, checked in-process: a real tracer provider, the real
// OpenInference LangChain instrumentation and the app's own spans, with a scripted model (a
// test stand-in) and an in-memory retriever. The production-server test checks the same in Phoenix.

const embedder = new HashingTestEmbedder();
const twoStep = oneChunkRetriever(embedder);
const CHUNK = RETURNS_CHUNK;

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({
  spanProcessors: [
    new TransformingSpanProcessor(
      [llmCostTransform(loadPriceTable(path.resolve("data/prices.json")))],
      [new SimpleSpanProcessor(exporter)],
    ),
  ],
});

beforeAll(() => {
  provider.register();
  instrumentLangChain({});
});
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
});
beforeEach(() => exporter.reset());

function router(route: RouteName): AgentDeps["router"] {
  return {
    route: async () => ({
      route,
      confidence: 0.99,
      candidates: ROUTES.map((r, i) => ({ route: r === route ? route : r, score: r === route ? 0.9 : 0.3 - i * 0.01 })),
    }),
  };
}

function deps(route: RouteName, overrides: Partial<AgentDeps> = {}): AgentDeps {
  return {
    embedder,
    chatModel: new ScriptedChatModel({ script: () => "You have 45 days to return a product." }),
    sessions: new InMemorySessionStore(),
    router: router(route),
    tools: createAgentTools({ retriever: new TracedRetriever(twoStep), k: 4 }),
    provider: "scripted",
    model: { provider: "scripted", modelName: "scripted" },
    ...overrides,
  };
}

const kindOf = (s: ReadableSpan) => s.attributes["openinference.span.kind"];
const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;

function treeOf(spans: ReadableSpan[]) {
  const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
  const ancestors = (s: ReadableSpan): string[] => {
    const parent = parentOf(s) ? byId.get(parentOf(s)!) : undefined;
    return parent ? [parent.name, ...ancestors(parent)] : [];
  };
  const named = (name: string) => spans.filter((s) => s.name === name);
  return { byId, ancestors, named, one: (name: string) => named(name)[0]! };
}

describe("one trace per chat request", () => {
  it("roots a knowledge-base answer in a chat AGENT span with the tool, embedding, retrieval and LLM spans nested", async () => {
    const result = await runAgentChat(
      { message: "How long do I have to return a product?", sessionId: "s-1" },
      deps("knowledge_base_search"),
      {
        userId: "u-7",
        tags: ["run:test"],
      },
    );
    const spans = exporter.getFinishedSpans();
    expect(new Set(spans.map((s) => s.spanContext().traceId))).toEqual(new Set([result.traceId]));
    const roots = spans.filter((s) => !parentOf(s));
    expect(roots.map((s) => s.name)).toEqual(["chat"]);
    const root = roots[0]!;
    expect(root.attributes).toMatchObject({
      "openinference.span.kind": "AGENT",
      "session.id": "s-1",
      "user.id": "u-7",
      "input.value": "How long do I have to return a product?",
      "output.value": result.answer,
      "agent.route": "knowledge_base_search",
    });
    expect(root.attributes["tag.tags"]).toEqual(
      expect.arrayContaining(["model:scripted", "run:test", expect.stringMatching(/^prompt:/), expect.stringMatching(/^git:/)]),
    );

    const t = treeOf(spans);
    const tool = t.one("knowledge_base_search");
    expect(kindOf(tool)).toBe("TOOL");
    expect(t.ancestors(tool)).toContain("chat");
    const embed = t.one("embed_query");
    const search = t.one("vector_search");
    expect(kindOf(embed)).toBe("EMBEDDING");
    expect(kindOf(search)).toBe("RETRIEVER");
    // Under the tool's span, not beside it.
    expect(parentOf(embed)).toBe(tool.spanContext().spanId);
    expect(parentOf(search)).toBe(tool.spanContext().spanId);
    expect(embed.attributes).toMatchObject({
      "embedding.model_name": "test-embedder",
      "embedding.embeddings.0.embedding.text": "How long do I have to return a product?",
    });
    expect(search.attributes).toMatchObject({
      "retrieval.documents.0.document.id": "returns-policy#1",
      "retrieval.documents.0.document.score": 0.61,
      "retrieval.documents.0.document.content": CHUNK.text,
    });

    const route = t.one("route");
    expect(kindOf(route)).toBe("CHAIN");
    expect(route.attributes["agent.route.chosen"]).toBe("knowledge_base_search");
    const candidates: unknown[] = JSON.parse(String(route.attributes["agent.route.candidates"]));
    expect(candidates[0]).toEqual({ route: "knowledge_base_search", score: 0.9 });

    const llm = spans.find((s) => kindOf(s) === "LLM")!;
    expect(t.ancestors(llm)).toEqual(expect.arrayContaining(["respond", "chat"]));
    expect(llm.attributes).toMatchObject({ "llm.provider": "scripted", "llm.model_name": "scripted", "llm.cost.total": 0 });
    expect(llm.attributes["llm.token_count.prompt"]).toBeGreaterThan(0);
    expect(llm.attributes["llm.token_count.completion"]).toBeGreaterThan(0);
    for (const name of ["prompt_assembly", "postprocess"]) {
      expect(kindOf(t.one(name))).toBe("CHAIN");
      expect(t.ancestors(t.one(name))[0]).toBe("respond");
    }
    expect(t.one("prompt_assembly").attributes["llm.prompt_template.variables"]).toContain("45 days");
    // Session id reaches LangChain's spans too, so Phoenix groups the whole conversation.
    expect(llm.attributes["session.id"]).toBe("s-1");
  });

  it("records a follow-up's rewrite in a query_rewrite CHAIN span under chat, before routing", async () => {
    const d = deps("knowledge_base_search");
    await runAgentChat({ message: "What is the return window?", sessionId: "s-rw" }, d);
    expect(exporter.getFinishedSpans().some((s) => s.name === "query_rewrite")).toBe(false);
    exporter.reset();
    const result = await runAgentChat({ message: "and for opened items?", sessionId: "s-rw" }, d);
    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === result.traceId);
    const t = treeOf(spans);
    const rewrite = t.one("query_rewrite");
    expect(kindOf(rewrite)).toBe("CHAIN");
    expect(t.ancestors(rewrite)).toEqual(["chat"]);
    expect(JSON.parse(String(rewrite.attributes["input.value"]))).toEqual({
      message: "and for opened items?",
      previousQuestion: "What is the return window?",
    });
    expect(rewrite.attributes).toMatchObject({
      "output.value": "What is the return window for opened items?",
      "agent.query.rewritten": true,
    });
    // Before routing: the span ends before the route node's starts.
    const started = (s: ReadableSpan) => s.startTime[0] * 1e9 + s.startTime[1];
    const ended = (s: ReadableSpan) => s.endTime[0] * 1e9 + s.endTime[1];
    expect(ended(rewrite)).toBeLessThanOrEqual(started(t.one("route")));
    expect(t.one("embed_query").attributes["embedding.embeddings.0.embedding.text"]).toBe("and for opened items?");
  });

  it("marks a failing tool's span ERROR with the exception, and the request still answers", async () => {
    const failing = tool(
      async () => {
        throw new AppError("tool_failed", "the warehouse is on fire");
      },
      { name: "calculator", description: "test", schema: z.looseObject({}) },
    );
    const d = deps("calculator");
    const result = await runAgentChat({ message: "What is 2 + 2?" }, { ...d, tools: { ...d.tools, calculator: failing } });
    expect(result.answer).toContain("the warehouse is on fire");
    const calc = exporter.getFinishedSpans().find((s) => s.name === "calculator")!;
    expect(kindOf(calc)).toBe("TOOL");
    expect(calc.status.code).toBe(2); // ERROR
    expect(calc.events.some((e) => e.name === "exception")).toBe(true);
    const root = exporter.getFinishedSpans().find((s) => s.name === "chat")!;
    expect(root.status.code).toBe(1); // OK: the request succeeded
  });

  it("marks a timed-out tool's span ERROR too", async () => {
    const slow = tool(async () => new Promise<string>((resolve) => setTimeout(() => resolve("late"), 2_000)), {
      name: "calculator",
      description: "test",
      schema: z.looseObject({}),
    });
    const d = deps("calculator", { toolTimeoutMs: 50 });
    const result = await runAgentChat({ message: "What is 2 + 2?" }, { ...d, tools: { ...d.tools, calculator: slow } });
    expect(result.steps.find((s) => s.type === "tool_end")).toMatchObject({ error: { code: "tool_timeout" } });
    const calc = exporter.getFinishedSpans().find((s) => s.name === "calculator")!;
    expect(calc.status.code).toBe(2);
  });
});
