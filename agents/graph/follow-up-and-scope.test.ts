import { describe, expect, it } from "vitest";
import type { BaseMessage } from "@langchain/core/messages";
import { ScriptedChatModel } from "@/lib/llm/scripted-chat-model";
import { InMemorySessionStore } from "@/lib/sessions/session-store";
import type { Retriever } from "@/lib/vectorstore/types";
import { isAbstention } from "@/lib/quality/text";
import { HashingTestEmbedder } from "@/test-support/embeddings/hashing-test-embedder";
import { RETURNS_CHUNK } from "@/test-support/agents/one-chunk-retriever";
import { ROUTES, type RouteName } from "../routes/registry";
import type { OutOfScope, RouteDecision } from "../router/semantic-router";
import { runAgentChat } from "./run-agent-chat";
import { scopedReply } from "./scoped-reply";
import { createAgentTools } from "./tools";
import type { AgentDeps } from "./types";

// Follow-ups rewritten before routing, and small talk answered without a tool, through the
// real graph with a scripted model, a recording router and a recording retriever.

const text = (m: BaseMessage) => (typeof m.content === "string" ? m.content : JSON.stringify(m.content));

function setup(route: RouteName, outOfScope?: (message: string) => OutOfScope | undefined) {
  const routed: string[] = [];
  const searched: string[] = [];
  const retriever: Retriever = {
    search: (query) => {
      searched.push(query);
      return Promise.resolve([RETURNS_CHUNK]);
    },
  };
  const router: AgentDeps["router"] = {
    route: (message): Promise<RouteDecision> => {
      routed.push(message);
      const scope = outOfScope?.(message);
      return Promise.resolve({
        route,
        confidence: 0.99,
        candidates: ROUTES.map((r, i) => ({ route: r, score: r === route ? 0.9 : 0.5 - i * 0.01 })),
        ...(scope ? { outOfScope: scope } : {}),
      });
    },
  };
  const chatModel = new ScriptedChatModel({ script: () => "You have 45 days to return a product." });
  const deps: AgentDeps = {
    embedder: new HashingTestEmbedder(),
    chatModel,
    sessions: new InMemorySessionStore(),
    router,
    tools: createAgentTools({ retriever, k: 4 }),
    provider: "scripted",
  };
  return { deps, routed, searched, chatModel };
}

describe("a follow-up", () => {
  it("is routed, searched and answered as the standalone question it rewrites into", async () => {
    const { deps, routed, searched, chatModel } = setup("knowledge_base_search");
    const sessionId = "rewrite-session-01";
    await runAgentChat({ message: "What is the return window?", sessionId }, deps);
    routed.length = 0;
    searched.length = 0;
    const calls = chatModel.calls.length;
    const second = await runAgentChat({ message: "and for opened items?", sessionId }, deps);

    expect(routed).toEqual(["What is the return window for opened items?"]);
    expect(searched).toEqual(["and for opened items?", "What is the return window for opened items?"]);
    // The answer's question is the standalone one, and the previous turn is not replayed.
    const prompt = chatModel.calls.slice(calls).at(-1)!.messages;
    expect(text(prompt.at(-1)!)).toContain("Question: What is the return window for opened items?");
    expect(prompt.map(text).join("\n")).not.toContain("(answer)");
    expect(prompt.some((m) => text(m) === "What is the return window?")).toBe(false);
    // History stays out of what the client is shown.
    expect(second.steps[1]).toMatchObject({ type: "tool_start", input: { query: "and for opened items?", followUp: true } });
    expect(JSON.stringify(second.steps)).not.toContain("return window");
  });

  it("that does not rewrite is routed with the previous question, as before", async () => {
    const { deps, routed } = setup("knowledge_base_search");
    const sessionId = "rewrite-session-02";
    await runAgentChat({ message: "What is the return window?", sessionId }, deps);
    routed.length = 0;
    await runAgentChat({ message: "what about it?", sessionId }, deps);
    expect(routed).toEqual(["what about it?", "What is the return window?\nwhat about it?"]);
  });
});

describe("small talk and off-topic messages", () => {
  const scopeOf = (message: string): OutOfScope | undefined =>
    /^(hello|thanks)/i.test(message)
      ? { kind: "small_talk", score: 0.8, margin: 0.5 }
      : /capital/.test(message)
        ? { kind: "off_topic", score: 0.5, margin: 0.3 }
        : undefined;

  it.each([
    ["hello", "small_talk", /^Hello! I'm ACME Corp's assistant.*What would you like to know\?$/],
    ["thanks!", "small_talk", /^You're welcome!/],
    ["what is the capital of Peru?", "off_topic", /^Sorry, I can't answer that: I only answer questions about ACME/],
  ] as const)("%s gets the scoped reply, no tool and no sources", async (message, scope, reply) => {
    const { deps, searched, chatModel } = setup("ask_followup", scopeOf);
    const result = await runAgentChat({ message }, deps);
    expect(result.answer).toMatch(reply);
    expect(result.steps).toEqual([expect.objectContaining({ type: "route", scope, plan: [], method: "router", llmConsulted: false })]);
    expect(result.sources).toEqual([]);
    expect(searched).toEqual([]);
    expect(chatModel.calls).toHaveLength(0);
  });

  it("is checked on the raw message in a conversation, so thanks after an answer is not merged into it", async () => {
    const { deps, routed } = setup("knowledge_base_search", scopeOf);
    const sessionId = "scope-session-01";
    await runAgentChat({ message: "What is the return window?", sessionId }, deps);
    routed.length = 0;
    const result = await runAgentChat({ message: "thanks!", sessionId }, deps);
    expect(routed).toEqual(["thanks!"]);
    expect(result.answer).toMatch(/^You're welcome!/);
  });
});

describe("scopedReply", () => {
  it("declines an off-topic question in words the abstention check knows, and greets, thanks and says goodbye in kind", () => {
    expect(isAbstention(scopedReply("off_topic", "write a poem about the sea"))).toBe(true);
    expect(scopedReply("small_talk", "good morning!")).toMatch(/^Hello!.*\?$/);
    expect(scopedReply("small_talk", "thank you so much")).toMatch(/^You're welcome!/);
    expect(scopedReply("small_talk", "ok bye")).toMatch(/^Goodbye!/);
  });
});
