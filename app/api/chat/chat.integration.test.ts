import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatResult } from "@/agents/contract";
import type { ErrorBody } from "@/lib/errors";
import { freePort } from "@/test-support/process/free-port";
import { startProductionServer, type RunningServer } from "@/test-support/server/production-server";

// POST /api/chat on the production build with the real local model. Admission control: one
// turn runs, one waits, and the rest are refused at once with 503 and Retry-After instead of
// queueing behind them (the whole-turn deadline is tested in agents/chat-turn.test.ts).
// Sessions: only an id the server issued continues a conversation.

const workDir = mkdtempSync(path.join(os.tmpdir(), "rag-capacity-"));
let server: RunningServer;

beforeAll(async () => {
  if (!existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) {
    throw new Error("No production build (.next/BUILD_ID): run `npm run build` first (`npm test` builds it before the integration tier).");
  }
  server = await startProductionServer({
    port: await freePort(),
    env: {
      TRACE_LOG_PATH: path.join(workDir, "traces.sqlite"),
      PHOENIX_EXPORT: "off",
      CHAT_MAX_CONCURRENT: "1",
      CHAT_MAX_QUEUE: "1",
    },
    timeoutMs: 120_000,
  });
}, 300_000);

afterAll(async () => {
  await server?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

describe("POST /api/chat under more load than it admits", () => {
  it("answers the running and the queued turn, and refuses the rest with 503 and Retry-After", async () => {
    const ask = () =>
      fetch(`${server.url}/api/chat`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ message: "How long do I have to return a product?" }),
      });
    const started = performance.now();
    const responses = await Promise.all([ask(), ask(), ask(), ask()]);
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses, server.output().slice(-2000)).toEqual([200, 200, 503, 503]);
    for (const refused of responses.filter((r) => r.status === 503)) {
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(((await refused.json()) as ErrorBody).error.code).toBe("overloaded");
    }
    expect(performance.now() - started).toBeLessThan(120_000);

    // Once the load is gone, a turn is admitted again.
    expect((await ask()).status).toBe(200);
  });
});

describe("POST /api/chat sessions", () => {
  async function turn(message: string, sessionId?: string): Promise<ChatResult> {
    const response = await fetch(`${server.url}/api/chat`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ message, ...(sessionId ? { sessionId } : {}) }),
    });
    expect(response.status, server.output().slice(-2000)).toBe(200);
    return (await response.json()) as ChatResult;
  }

  it("issues a session with the first answer, continues it, and starts a new one for an id it did not issue", async () => {
    const first = await turn("How long do I have to return a product?");
    expect(first.sessionId).toMatch(/^[A-Za-z0-9_-]{44}$/);
    expect((await turn("And for opened items?", first.sessionId)).sessionId).toBe(first.sessionId);
    const guessed = await turn("And for opened items?", "someone-elses-session-1");
    expect(guessed.sessionId).not.toBe("someone-elses-session-1");
    expect(guessed.sessionId).not.toBe(first.sessionId);
  });
});
