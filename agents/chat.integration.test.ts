import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quarterTotal } from "@/e2e/sales-fixture";
import { getConfig } from "@/lib/config";
import { createChatModel } from "@/lib/llm/provider";
import { ScriptedChatModel } from "@/lib/llm/scripted-chat-model";
import { InMemorySessionStore } from "@/lib/sessions/session-store";
import { getEmbedder } from "@/lib/embeddings/transformers-embedder";
import { KnowledgeBase, getKnowledgeBase } from "@/lib/vectorstore/knowledge-base";
import { streamChatEvents } from "./chat-stream";
import type { ChatEvent } from "./contract";
import { type ChatDeps, runChat } from "./rag-answer";

// The real embedding model and the real index built by `npm run ingest` (npm test
// builds it first). The chat model is the real local one where the assertion is about
// answer content, and the scripted stand-in where the test needs exact tokens or a
// failure on cue.

const config = getConfig();
const knowledgeBase = getKnowledgeBase(config);

function deps(chatModel: ChatDeps["chatModel"], overrides: Partial<ChatDeps> = {}): ChatDeps {
  return {
    retriever: knowledgeBase,
    embedder: knowledgeBase.embedder,
    chatModel,
    sessions: new InMemorySessionStore(),
    retrievalK: config.retrievalK,
    ...overrides,
  };
}

async function collect(events: AsyncIterable<ChatEvent>): Promise<ChatEvent[]> {
  const out: ChatEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

beforeAll(async () => {
  await knowledgeBase.store();
});

describe("chat with the real local model", () => {
  it("answers the Q3 sales question with the Q3 figure, citing the Q3 report", async () => {
    const local = createChatModel(config.llm, config.models.dir);
    const result = await runChat({ message: "What were Q3 sales for ACME Corp?" }, deps(local));
    expect(result.sources.map((s) => s.docId)).toContain("sales-report-2025-q3");
    expect(result.answer.replace(/(\d),(?=\d{3})/g, "$1")).toContain(String(quarterTotal("2025-Q3")));
    expect(result.steps.map((s) => s.type)).toEqual(["route", "tool_start", "tool_end"]);
    expect(result.traceId).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe("chat pipeline events", () => {
  it("streams trace, steps, sources, then tokens that add up to the answer, then done", async () => {
    const reply = "Q3 revenue was $8,515,801 [1].";
    const model = new ScriptedChatModel({ script: [reply] });
    const events = await collect(
      streamChatEvents({ message: "What were Q3 sales?" }, async () => deps(model)),
    );
    const types = events.map((e) => e.type);
    expect(types[0]).toBe("trace");
    expect(types.at(-1)).toBe("done");
    expect(types.indexOf("sources")).toBeLessThan(types.indexOf("token"));
    expect(types).not.toContain("error");
    const tokens = events.flatMap((e) => (e.type === "token" ? [e.text] : []));
    expect(tokens.length).toBeGreaterThan(3);
    expect(tokens.join("")).toBe(reply);
    // The prompt carries facts from the retrieved report, not the whole index.
    const prompt = String(model.calls[0]!.messages.at(-1)!.content);
    expect(prompt).toContain("Q3 2025 Sales Report");
    expect(prompt).toContain("Question: What were Q3 sales?");
  });

  it("turns a model failure mid-answer into an error event and a clean end", async () => {
    const model = new ScriptedChatModel({ script: [{ text: "Q3 revenue was a lot of", failAfterTokens: 3 }] });
    const events = await collect(streamChatEvents({ message: "What were Q3 sales?" }, async () => deps(model)));
    const error = events.find((e) => e.type === "error");
    expect(error).toMatchObject({ type: "error", code: "llm_failed" });
    expect(events.at(-1)).toEqual({ type: "done" });
    expect(events.filter((e) => e.type === "token")).toHaveLength(3);
  });

  it("stops generating when the client goes away", async () => {
    const model = new ScriptedChatModel({ script: ["one two three four five six seven eight nine ten"], tokenDelayMs: 50 });
    const abort = new AbortController();
    const events: ChatEvent[] = [];
    for await (const event of streamChatEvents({ message: "Q3 sales?" }, async () => deps(model), abort.signal)) {
      events.push(event);
      if (event.type === "token") abort.abort();
    }
    expect(events.filter((e) => e.type === "token").length).toBeLessThan(4);
    expect(events.some((e) => e.type === "error")).toBe(false);
    expect(events.at(-1)).toEqual({ type: "done" });
  });

  it("keeps the conversation per session: the follow-up sees the first turn", async () => {
    const model = new ScriptedChatModel({ script: ["Q3 revenue was $8,515,801.", "Q2 was lower, $7,278,431."] });
    const shared = deps(model);
    const first = await runChat({ message: "What were Q3 sales for ACME Corp?", sessionId: "s-1" }, shared);
    const second = await runChat({ message: "How does that compare with Q2?", sessionId: "s-1" }, shared);
    expect(second.sessionId).toBe(first.sessionId);
    const docs = second.sources.map((s) => s.docId);
    expect(docs).toContain("sales-report-2025-q2");
    expect(docs).toContain("sales-report-2025-q3");
    const replayed = model.calls[1]!.messages.map((m) => String(m.content));
    expect(replayed).toContain("What were Q3 sales for ACME Corp?");
    expect(replayed).toContain("Q3 revenue was $8,515,801.");

    // Another session starts fresh.
    await runChat({ message: "How does that compare with Q2?", sessionId: "s-2" }, { ...shared, chatModel: new ScriptedChatModel({ script: ["?"] }) });
  });
});

describe("chat without an index", () => {
  let emptyDir: string;
  beforeAll(() => {
    emptyDir = mkdtempSync(path.join(tmpdir(), "no-index-"));
  });
  afterAll(() => rmSync(emptyDir, { recursive: true, force: true }));

  it("reports index_missing with the command to run, as an event", async () => {
    const missing = new KnowledgeBase(getEmbedder(config), emptyDir);
    const model = new ScriptedChatModel({ script: ["unused"] });
    const events = await collect(
      streamChatEvents({ message: "What were Q3 sales?" }, async () => deps(model, { retriever: missing })),
    );
    const error = events.find((e) => e.type === "error");
    expect(error).toMatchObject({ code: "index_missing" });
    expect(error && "message" in error ? error.message : "").toContain("npm run ingest");
    expect(model.calls).toHaveLength(0);
  });
});
