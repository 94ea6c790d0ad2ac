import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HashingTestEmbedder } from "@/test-support/embeddings/hashing-test-embedder";
import { startThrowawayPostgres } from "@/test-support/postgres/throwaway-postgres";
import { ScriptedChatModel } from "@/lib/llm/scripted-chat-model";
import { createPool } from "@/lib/postgres/pool";
import type { LocalPostgres } from "@/lib/postgres/local-postgres";
import { PgSessionStore } from "@/lib/sessions/pg-session-store";
import { ROUTES } from "@/agents/routes/registry";
import { runAgentChat } from "./run-agent-chat";
import { createAgentTools } from "./tools";
import type { AgentDeps } from "./types";

// Two app replicas (their own deps and pools) behind a load balancer that sends each turn anywhere.
let server: LocalPostgres;
const pools: pg.Pool[] = [];

beforeAll(async () => {
  server = await startThrowawayPostgres(process.cwd(), "agent_sessions_test");
});

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await server?.stop();
});

function replica(): AgentDeps {
  const pool = createPool({ url: server.url, poolMax: 2, connectTimeoutMs: 5_000 });
  pools.push(pool);
  return {
    embedder: new HashingTestEmbedder(),
    chatModel: new ScriptedChatModel({ script: [] }),
    sessions: new PgSessionStore(pool),
    // A confident calculator route: the turn needs no model.
    router: {
      route: () =>
        Promise.resolve({
          route: "calculator",
          confidence: 0.99,
          candidates: ROUTES.map((route, i) => ({ route, score: 0.9 - i * 0.05 })),
        }),
    },
    tools: createAgentTools({ retriever: { search: () => Promise.resolve([]) }, k: 4 }),
    provider: "scripted",
  };
}

describe("a conversation on PostgreSQL sessions", () => {
  it("continues on whichever replica takes the next turn", async () => {
    const [a, b] = [replica(), replica()];
    const first = await runAgentChat({ message: "What is 17.5% of 2,340?" }, a);
    const second = await runAgentChat({ message: "What is 2 + 2?", sessionId: first.sessionId }, b);
    expect(second.sessionId).toBe(first.sessionId);
    const history = await a.sessions.history(first.sessionId);
    expect(history.map((t) => t.user)).toEqual(["What is 17.5% of 2,340?", "What is 2 + 2?"]);
    expect(history.map((t) => t.assistant)).toEqual([first.answer, second.answer]);
    expect(second.answer).toContain("4");
  });
});
