import { AIMessage } from "@langchain/core/messages";
import { RunnableLambda } from "@langchain/core/runnables";
import { tool } from "@langchain/core/tools";
import { messageText } from "@/lib/llm/messages";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { HashingTestEmbedder } from "@/test-support/embeddings/hashing-test-embedder";
import { AppError } from "@/lib/errors";
import { ScriptedChatModel, type Script } from "@/lib/llm/scripted-chat-model";
import { InMemorySessionStore } from "@/lib/sessions/session-store";
import type { Retriever, ScoredChunk } from "@/lib/vectorstore/types";
import type { AgentStep, ChatEvent } from "../contract";
import { ROUTES, type RouteName } from "@/agents/routes/registry";
import type { RouteDecision } from "../router/semantic-router";
import { runAgentChat } from "./run-agent-chat";
import { createAgentTools } from "./tools";
import type { AgentDeps, AgentTools } from "./types";

// Control flow of the agent graph with a scripted model (a test stand-in), a fake router and
// a fake retriever; the sales, calculator, run_code and ask_followup tools are the real ones.

const CHUNK: ScoredChunk = {
  id: "returns-policy#1",
  docId: "returns-policy",
  title: "Returns Policy",
  topic: "policy",
  text: "You can return a product within 45 days of delivery. Refunds go to the original payment method.",
  start: 0,
  end: 90,
  score: 0.61,
};
const retriever: Retriever = { search: async () => [CHUNK] };

/** A router that answers `route` with `confidence`, the other routes trailing. */
function fakeRouter(route: RouteName, confidence = 0.99, second?: RouteName): AgentDeps["router"] {
  return {
    route: async (): Promise<RouteDecision> => {
      const rest = ROUTES.filter((r) => r !== route && r !== second);
      const order = [route, ...(second ? [second] : []), ...rest];
      return { route, confidence, candidates: order.map((r, i) => ({ route: r, score: 0.6 - i * 0.05 })) };
    },
  };
}

function deps(script: Script, router: AgentDeps["router"], overrides: Partial<AgentDeps> = {}) {
  const chatModel = new ScriptedChatModel({ script });
  const d: AgentDeps = {
    embedder: new HashingTestEmbedder(),
    chatModel,
    sessions: new InMemorySessionStore(),
    router,
    tools: createAgentTools({ retriever, k: 4 }),
    provider: "scripted",
    ...overrides,
  };
  return { d, chatModel };
}

function throwingTool(name: RouteName, error: () => Promise<never>) {
  return tool(async () => error(), { name, description: "test", schema: z.looseObject({}) });
}

const types = (steps: AgentStep[]) => steps.map((s) => s.type);

const IS_PRIME = {
  code: "function isPrime(n) { if (n < 2) return false; for (let i = 2; i * i <= n; i++) if (n % i === 0) return false; return true; }",
  tests: ["assert.equal(isPrime(7), true)", "assert.equal(isPrime(8), false)"],
};

describe("agent graph", () => {
  it("routes a confident calculator question without the model and answers from the observation", async () => {
    const { d, chatModel } = deps([], fakeRouter("calculator"));
    const events: ChatEvent[] = [];
    const result = await runAgentChat({ message: "What is 17.5% of 2,340?" }, d, { emit: (e) => events.push(e) });
    expect(result.answer).toContain("409.5");
    expect(types(result.steps)).toEqual(["route", "tool_start", "tool_end"]);
    expect(result.steps[0]).toMatchObject({
      route: "calculator",
      confidence: 0.99,
      llmConsulted: false,
      method: "router",
      plan: [{ tool: "calculator", argsFrom: "rule" }],
    });
    expect(result.steps[1]).toMatchObject({ input: { expression: "17.5% of 2,340" } });
    expect(chatModel.calls).toHaveLength(0);
    expect(result.sources).toEqual([]);
    const tokens = events.flatMap((e) => (e.type === "token" ? [e.text] : []));
    expect(tokens.length).toBeGreaterThan(1);
    expect(tokens.join("")).toBe(result.answer);
  });

  it("asks the model to choose among the top candidates when the router is unsure, and records both", async () => {
    const { d, chatModel } = deps(
      ({ structuredOutput }) => (structuredOutput ? { json: { route: "knowledge_base_search" } } : "You have 45 days to return a product."),
      fakeRouter("sales_query", 0.6, "knowledge_base_search"),
      { llmWeight: 0.1 },
    );
    const result = await runAgentChat({ message: "How many days do I have to return a product?" }, d);
    expect(result.steps[0]).toMatchObject({
      type: "route",
      route: "knowledge_base_search",
      method: "router+llm",
      llmConsulted: true,
      llmChoice: "knowledge_base_search",
      confidence: 0.6,
      candidates: expect.arrayContaining([{ route: "sales_query", score: 0.6 }]),
    });
    const schema = JSON.stringify(chatModel.calls[0]!.structuredOutput?.schema);
    expect(schema).toContain("knowledge_base_search");
    expect(schema).not.toContain("calculator");
    expect(result.sources.map((s) => s.docId)).toEqual(["returns-policy"]);
    // Checked against the evidence (ANSWER_GUARDS), shown with the sentence its figure came from.
    expect(result.answer).toBe(
      "You have 45 days to return a product.\n\nSource: “You can return a product within 45 days of delivery.” (Returns Policy)",
    );
    expect(result.steps.at(-1)).toEqual({ type: "answer_check", verdict: "supported", reason: "supported", unsupported: 0 });
    // The answer prompt is the grounded one of the RAG pipeline.
    expect(messageText(chatModel.calls[1]!.messages.at(-1)!)).toContain("Facts:\n- Returns Policy:");
  });

  it("with ROUTER_MODEL_VOTE on records the model's choice but keeps the router's route (weight 0)", async () => {
    // First structured call: the route choice; second: the code and tests to run.
    const { d } = deps(
      ({ callIndex, structuredOutput }) => (structuredOutput ? { json: callIndex === 0 ? { route: "calculator" } : IS_PRIME } : "unused"),
      fakeRouter("run_code", 0.6, "calculator"),
      { recordModelVote: true },
    );
    const result = await runAgentChat({ message: "write a function that checks whether a number is prime" }, d);
    expect(result.steps[0]).toMatchObject({ route: "run_code", llmConsulted: true, llmChoice: "calculator", method: "router+llm" });
    expect(result.answer).toMatch(/Tests: 2 passed, 0 failed/);
  });

  it("by default does not ask the model for a vote that carries no weight: the unsure router's top route, one model call fewer", async () => {
    // The only structured call is the code and tests to run; a route-choice call would get IS_PRIME and fail its schema.
    const { d, chatModel } = deps(
      ({ structuredOutput }) => (structuredOutput ? { json: IS_PRIME } : "unused"),
      fakeRouter("run_code", 0.6, "calculator"),
    );
    const result = await runAgentChat({ message: "write a function that checks whether a number is prime" }, d);
    expect(result.steps[0]).toMatchObject({ route: "run_code", llmConsulted: false, method: "router", confidence: 0.6 });
    expect(result.steps[0]).not.toHaveProperty("llmChoice");
    expect(chatModel.calls).toHaveLength(1);
    expect(result.answer).toMatch(/Tests: 2 passed, 0 failed/);
  });

  it("searches a follow-up as the standalone question it rewrites into, which never shows in the step input", async () => {
    const queries: string[] = [];
    const recording: Retriever = {
      search: (query) => {
        queries.push(query);
        return Promise.resolve([CHUNK]);
      },
    };
    const tools = createAgentTools({ retriever: recording, k: 4 });
    const { d } = deps(["Within 45 days.", "Within 45 days too."], fakeRouter("knowledge_base_search"), { tools });
    const sessionId = "follow-up-session-01";
    await runAgentChat({ message: "How long do I have to return a drone?", sessionId }, d);
    const second = await runAgentChat({ message: "and if it was opened?", sessionId }, d);
    expect(second.steps[1]).toMatchObject({ type: "tool_start", input: { query: "and if it was opened?", followUp: true } });
    expect(JSON.stringify(second.steps)).not.toContain("drone");
    expect(queries).toContain("How long do I have to return a drone if it was opened?");
  });

  it("asks a clarifying question for a message without context", async () => {
    const { d, chatModel } = deps([], fakeRouter("ask_followup"));
    const result = await runAgentChat({ message: "what about the other one?" }, d);
    expect(result.answer).toMatch(/\?$/);
    expect(result.answer).toMatch(/which product/i);
    expect(result.steps.map((s) => (s.type === "tool_start" ? s.tool : s.type))).toEqual(["route", "ask_followup", "tool_end"]);
    expect(chatModel.calls).toHaveLength(0);
  });

  it("turns a throwing tool into an observation and tells the user, without throwing", async () => {
    const tools: AgentTools = {
      ...createAgentTools({ retriever, k: 4 }),
      sales_query: throwingTool("sales_query", async () => {
        throw new Error("database is locked");
      }),
    };
    const { d } = deps([], fakeRouter("sales_query", 0.99, "calculator"), { tools });
    const result = await runAgentChat({ message: "Which region had the highest revenue in Q2?" }, d);
    expect(result.steps.at(-1)).toMatchObject({
      type: "tool_end",
      tool: "sales_query",
      error: { code: "tool_failed", message: "database is locked" },
    });
    expect(result.answer).toContain("the sales database query failed");
    expect(result.answer).toContain("database is locked");
  });

  it("times a hanging tool out into a tool_timeout observation", async () => {
    const tools: AgentTools = {
      ...createAgentTools({ retriever, k: 4 }),
      calculator: throwingTool("calculator", () => new Promise<never>(() => undefined)),
    };
    const { d } = deps([], fakeRouter("calculator"), { tools, toolTimeoutMs: 50 });
    const result = await runAgentChat({ message: "What is 2 + 2?" }, d);
    expect(result.steps.at(-1)).toMatchObject({ type: "tool_end", error: { code: "tool_timeout" } });
    expect(result.answer).toContain("tool_timeout");
  });

  it("goes back to reason after an invalid argument and lets the model fix it once", async () => {
    const replies = [{ json: { expression: "1/0" } }, { json: { expression: "6*7" } }];
    const { d, chatModel } = deps(replies, fakeRouter("calculator"));
    const result = await runAgentChat({ message: "compute the answer for me" }, d);
    expect(types(result.steps)).toEqual(["route", "tool_start", "tool_end", "tool_start", "tool_end"]);
    expect(result.steps[2]).toMatchObject({ error: { code: "tool_input_invalid" } });
    expect(result.answer).toBe("6*7 = 42");
    // The repair prompt carries the error.
    expect(messageText(chatModel.calls[1]!.messages.at(-1)!)).toMatch(/failed \(tool_input_invalid/);
  });

  it("stops on a repeated identical call and says so", async () => {
    const replies = [{ json: { expression: "1/0" } }, { json: { expression: "1/0" } }];
    const { d } = deps(replies, fakeRouter("calculator"));
    const result = await runAgentChat({ message: "compute the answer for me" }, d);
    expect(types(result.steps)).toEqual(["route", "tool_start", "tool_end"]);
    expect(result.answer).toMatch(/calculator failed \(tool_input_invalid/);
    expect(result.answer).toContain("repeat the same call");
  });

  it("stops at the step limit", async () => {
    const replies = [0, 1, 2, 3, 4, 5].map((i) => ({ json: { expression: `${i}/0` } }));
    const { d, chatModel } = deps(replies, fakeRouter("calculator"), { maxSteps: 3, maxRepairs: 10 });
    const result = await runAgentChat({ message: "compute the answer for me" }, d);
    expect(result.steps.filter((s) => s.type === "tool_start")).toHaveLength(3);
    expect(chatModel.calls).toHaveLength(3);
    expect(result.answer).toContain("maximum number of steps");
  });

  it("cites the quarterly report beside a quarter's sales total", async () => {
    const search = async () => [
      {
        ...CHUNK,
        id: "sales-report-2025-q3#0",
        docId: "sales-report-2025-q3",
        title: "Q3 2025 Sales Report",
        text: "Total revenue: $8,515,801.",
      },
    ];
    const { d, chatModel } = deps(["Q3 revenue was $8,515,801."], fakeRouter("sales_query", 0.95, "knowledge_base_search"), {
      tools: createAgentTools({ retriever: { search }, k: 4 }),
    });
    const result = await runAgentChat({ message: "What were Q3 sales for ACME Corp?" }, d);
    expect(result.steps.flatMap((s) => (s.type === "tool_start" ? [s.tool] : []))).toEqual(["sales_query", "knowledge_base_search"]);
    expect(result.steps[2]).toMatchObject({ type: "tool_end", output: expect.stringContaining("SELECT SUM(revenue_usd)") });
    expect(result.sources.map((s) => s.docId)).toEqual(["sales-report-2025-q3"]);
    expect(result.answer).toBe("Q3 revenue was $8,515,801.\n\nSource: “Total revenue: $8,515,801.” (Q3 2025 Sales Report)");
    expect(messageText(chatModel.calls[0]!.messages.at(-1)!)).toContain("Q3 2025 Sales Report");
  });

  it("checks the model's sales sentence against the rows and falls back to one built from them", async () => {
    const { d } = deps(["The top region was APAC with $1."], fakeRouter("sales_query"));
    const result = await runAgentChat({ message: "Which region had the highest revenue in Q2?" }, d);
    expect(result.answer).toMatch(/^EMEA had the highest revenue for 2025-Q2: \$[\d,]+\.$/);
  });

  it("with an OpenAI-style model, routes by native tool calling and keeps the router's candidates", async () => {
    class ToolCallingScripted extends ScriptedChatModel {
      bound: string[] = [];
      override bindTools(tools: unknown[]) {
        this.bound = tools.map((t) => (t as { name: string }).name);
        return RunnableLambda.from(
          async () =>
            new AIMessage({ content: "", tool_calls: [{ id: "1", name: "calculator", args: { expression: "2*21" }, type: "tool_call" }] }),
        ) as unknown as ReturnType<NonNullable<ScriptedChatModel["bindTools"]>>;
      }
    }
    const model = new ToolCallingScripted({ script: [] });
    const { d } = deps([], fakeRouter("sales_query", 0.7), { provider: "openai", chatModel: model });
    const result = await runAgentChat({ message: "double 21" }, d);
    expect(model.bound).toEqual([...ROUTES]);
    expect(result.steps[0]).toMatchObject({
      route: "calculator",
      method: "tool_calling",
      llmConsulted: true,
      plan: [{ tool: "calculator", argsFrom: "tool_calling" }],
    });
    expect(result.steps[0]).toMatchObject({ candidates: expect.arrayContaining([{ route: "sales_query", score: 0.6 }]) });
    expect(result.answer).toBe("2*21 = 42");
  });

  it("still fails like the pipeline when the answer model fails mid-stream", async () => {
    const { d } = deps([{ text: "You can return", failAfterTokens: 2 }], fakeRouter("knowledge_base_search"));
    const error: unknown = await runAgentChat({ message: "returns?" }, d).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("llm_failed");
  });
});
