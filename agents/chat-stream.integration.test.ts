import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config";
import { getEmbedder } from "@/lib/embeddings/transformers-embedder";
import { messageText } from "@/lib/llm/messages";
import { type Script, ScriptedChatModel } from "@/lib/llm/scripted-chat-model";
import { InMemorySessionStore } from "@/lib/sessions/session-store";
import { KnowledgeBase } from "@/lib/vectorstore/knowledge-base";
import { streamChatEvents } from "./chat-stream";
import type { ChatEvent } from "./contract";
import { createAgentTools } from "./graph/tools";
import type { AgentDeps } from "./graph/types";
import { getChatDeps } from "./runtime";
import { collect } from "@/test-support/async/collect";

// The stream contract of POST /api/chat over the real agent: real router, index and tools.
// The chat model is the scripted stand-in, because these tests need exact tokens and a
// failure on cue; answer quality with the real model is in graph/agent.integration.test.ts.

// A question the semantic router is sure of (confidence above 0.9), so the model is only
// asked for the answer and the script below is the whole conversation.
const QUESTION = "How long is paid parental leave for a primary caregiver?";
let real: AgentDeps;

beforeAll(async () => {
  real = await getChatDeps();
});

function withModel(script: Script, overrides: Partial<AgentDeps> = {}, tokenDelayMs = 0): AgentDeps & { chatModel: ScriptedChatModel } {
  const chatModel = new ScriptedChatModel({ script, tokenDelayMs });
  return { ...real, sessions: new InMemorySessionStore(), ...overrides, chatModel };
}

// The live contract (model tokens as they come) holds with ANSWER_GUARDS off; with the guards on
// the answer is checked first, then streamed (the last describe block).
const unguarded = { answerGuards: false };

describe("chat event stream", () => {
  it("streams trace, steps, sources, then tokens that add up to the answer, then done", async () => {
    const reply = "Primary caregivers get 20 weeks of paid parental leave.";
    const deps = withModel([reply], unguarded);
    const events = await collect(streamChatEvents({ message: QUESTION }, async () => deps));
    const types = events.map((e) => e.type);
    expect(types[0]).toBe("trace");
    expect(types.at(-1)).toBe("done");
    expect(types).not.toContain("error");
    expect(events.find((e) => e.type === "step")).toMatchObject({ step: { type: "route", route: "knowledge_base_search" } });
    expect(types.indexOf("sources")).toBeLessThan(types.indexOf("token"));
    const tokens = events.flatMap((e) => (e.type === "token" ? [e.text] : []));
    expect(tokens.length).toBeGreaterThan(3);
    expect(tokens.join("")).toBe(reply);
    // The prompt carries evidence from the retrieved policy, not the whole index.
    const prompt = messageText(deps.chatModel.calls.at(-1)!.messages.at(-1)!);
    expect(prompt).toContain("Parental Leave");
    expect(prompt).toContain(`Question: ${QUESTION}`);
  });

  it("turns a model failure mid-answer into an error event and a clean end", async () => {
    const deps = withModel([{ text: "Primary caregivers get twenty weeks", failAfterTokens: 3 }], unguarded);
    const events = await collect(streamChatEvents({ message: QUESTION }, async () => deps));
    expect(events.find((e) => e.type === "error")).toMatchObject({ type: "error", code: "llm_failed" });
    expect(events.at(-1)).toEqual({ type: "done" });
    expect(events.filter((e) => e.type === "token")).toHaveLength(3);
  });

  it("stops generating when the client goes away", async () => {
    const deps = withModel(["one two three four five six seven eight nine ten"], unguarded, 50);
    const abort = new AbortController();
    const events: ChatEvent[] = [];
    for await (const event of streamChatEvents({ message: QUESTION }, async () => deps, abort.signal)) {
      events.push(event);
      if (event.type === "token") abort.abort();
    }
    expect(events.filter((e) => e.type === "token").length).toBeLessThan(4);
    expect(events.some((e) => e.type === "error")).toBe(false);
    expect(events.at(-1)).toEqual({ type: "done" });
  });
});

describe("chat event stream with the answer guards on", () => {
  it("streams the checked answer after its check: tokens add up to the draft and its quoted source", async () => {
    const reply = "Primary caregivers get 20 weeks of paid parental leave.";
    const events = await collect(streamChatEvents({ message: QUESTION }, async () => withModel([reply])));
    const types = events.map((e) => e.type);
    const check = events.findIndex((e) => e.type === "step" && e.step.type === "answer_check");
    expect(events[check]).toMatchObject({ step: { verdict: "supported" } });
    expect(check).toBeLessThan(types.indexOf("token"));
    const answer = events.flatMap((e) => (e.type === "token" ? [e.text] : [])).join("");
    expect(answer.startsWith(`${reply}\n\nSource: “`)).toBe(true);
    expect(answer).toContain("20 weeks");
    expect(types.at(-1)).toBe("done");
  });

  it("shows no token of a draft whose model call fails: the error and a clean end only", async () => {
    const deps = withModel([{ text: "Primary caregivers get twenty weeks", failAfterTokens: 3 }]);
    const events = await collect(streamChatEvents({ message: QUESTION }, async () => deps));
    expect(events.find((e) => e.type === "error")).toMatchObject({ type: "error", code: "llm_failed" });
    expect(events.filter((e) => e.type === "token")).toHaveLength(0);
    expect(events.at(-1)).toEqual({ type: "done" });
  });
});

describe("chat without an index", () => {
  let emptyDir: string;
  beforeAll(() => {
    emptyDir = mkdtempSync(path.join(tmpdir(), "no-index-"));
  });
  afterAll(() => rmSync(emptyDir, { recursive: true, force: true }));

  it("tells the user what failed and which command fixes it, without an error event", async () => {
    const config = getConfig();
    const missing = new KnowledgeBase(getEmbedder(config), emptyDir);
    const deps = withModel(["unused"], { tools: createAgentTools({ retriever: missing, k: config.retrievalK }) });
    const events = await collect(streamChatEvents({ message: QUESTION }, async () => deps));
    const end = events.find((e) => e.type === "step" && e.step.type === "tool_end");
    expect(end).toMatchObject({ step: { tool: "knowledge_base_search", error: { code: "index_missing" } } });
    const answer = events.flatMap((e) => (e.type === "token" ? [e.text] : [])).join("");
    expect(answer).toContain("npm run ingest");
    // Where the index was looked for is the machine's business (a temp folder here).
    expect(JSON.stringify(events)).not.toContain(emptyDir);
    expect(events.at(-1)).toEqual({ type: "done" });
  });
});
