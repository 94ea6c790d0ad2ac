import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProductionServer, type RunningServer } from "@/test-support/server/production-server";
import { freePort } from "@/test-support/process/free-port";
import { TraceLog } from "../../lib/telemetry/trace-log/trace-log";
import { runTrafficCli } from "./cli";
import { createTrafficClient } from "./client";
import type { PlannedSession } from "./plan";
import { playSession, type TurnOutcome } from "./play";
import type { Persona } from "./schema";

// The player's HTTP protocol against the real app: the production build (`next start`, as
// `npm test` builds it before this tier), the real models and index, a throwaway trace log.
// The traces the answers name must be in the server's log, and the feedback sent stored on them.

const root = process.cwd();
const workDir = mkdtempSync(path.join(os.tmpdir(), "rag-traffic-"));
const traceLogPath = path.join(workDir, "traces.sqlite");
let server: RunningServer;

beforeAll(async () => {
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
    throw new Error("No production build (.next/BUILD_ID): run `npm run build` first (`npm test` builds it before the integration tier).");
  }
  server = await startProductionServer({
    port: await freePort(),
    env: { TRACE_LOG_PATH: traceLogPath, TRACING: "on", PHOENIX_EXPORT: "off" },
    timeoutMs: 120_000,
  });
}, 300_000);

afterAll(async () => {
  await server?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

const persona: Persona = {
  id: "it-tester",
  name: "Integration tester",
  description: "Rates every answer",
  feedback: { rate: 1, style: "terse" },
  sessions: [],
};

describe("npm run traffic against the production server", () => {
  it("sees the app ready, with tracing on (where the log lives is told to the admin only)", async () => {
    const health = await createTrafficClient({ baseUrl: server.url, timeoutMs: 10_000 }).health();
    expect(health).toMatchObject({ reachable: true, ready: true, tracing: { enabled: true } });
    expect(health.reachable && health.tracing?.log).toBeUndefined();
  });

  it("plays a session: traces in the trace log under the session the server issued, feedback stored, a bad turn recorded and skipped", async () => {
    const session: PlannedSession = {
      persona,
      number: 1,
      key: "it-tester/1",
      sessionId: `traffic-it-tester-1-${Date.now().toString(36)}`,
      topic: "integration",
      turns: [
        { message: "What is 12 * 12,900?", route: "calculator", tags: [], expect: { anyOf: ["154,800"] } },
        { message: "x".repeat(4001), route: "ask_followup", tags: [] },
        {
          message: "How many days do I have to send back a robot?",
          route: "knowledge_base_search",
          tags: ["paraphrase"],
          expect: { anyOf: ["45 days"] },
        },
      ],
    };
    const client = createTrafficClient({ baseUrl: server.url, timeoutMs: 120_000 });
    const outcomes = await playSession(session, { client, seed: 42 });
    expect(outcomes).toHaveLength(3);

    const [calc, tooLong, kb] = outcomes;
    const sessionOf = (o: TurnOutcome) => (o.chat.ok ? log.rootSpan(o.chat.traceId)?.sessionId : undefined);
    expect(tooLong!.chat).toMatchObject({ ok: false, error: { code: "invalid_body", status: 400 } });
    const answered = [calc!, kb!];
    const log = new TraceLog(traceLogPath);
    try {
      for (const o of answered) {
        expect(o.chat.ok, JSON.stringify(o.chat) + server.output().slice(-2000)).toBe(true);
        if (!o.chat.ok) continue;
        expect(o.chat.traceId).toMatch(/^[0-9a-f]{32}$/);
        const traceId = o.chat.traceId;
        await expect.poll(() => log.rootSpan(traceId)?.name, { timeout: 15_000 }).toBe("chat");
        // One session the server issued (not the planned label) holds both answered turns.
        expect(log.rootSpan(traceId)!.sessionId).toBe(sessionOf(calc!));
        // The persona rates every answer that has an expectation: the log holds exactly that judgement.
        expect(o.feedback).toMatchObject({ sent: true, ok: true });
        if (o.feedback?.sent) {
          expect(log.feedbackFor(traceId).map((f) => ({ score: f.score, comment: f.comment }))).toEqual([
            { score: o.feedback.score, comment: o.feedback.comment ?? null },
          ]);
        }
      }
      expect(calc!.chat.ok && calc!.chat.route).toBe("calculator");
      expect(sessionOf(calc!)).toMatch(/^[A-Za-z0-9_-]{44}$/);
    } finally {
      log.close();
    }
  });

  it("runs the CLI over one session and summarizes what it produced", async () => {
    const file = path.join(workDir, "one.json");
    writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        personas: [
          {
            ...persona,
            sessions: [{ topic: "one", turns: [{ message: "what's 45 * 24?", route: "calculator", expect: { anyOf: ["1,080"] } }] }],
          },
        ],
      }),
    );
    const out: string[] = [];
    const err: string[] = [];
    const code = await runTrafficCli(["--url", server.url, "--file", file, "--run-id", "cli1", "--feedback-rate", "1"], {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      progress: false,
    });
    expect(code, err.join("\n")).toBe(0);
    const text = out.join("\n");
    expect(text).toContain("traces produced   1");
    expect(text).toContain("-> the app's trace log");
    const log = new TraceLog(traceLogPath);
    try {
      const roots = () => log.listRootSpans().filter((s) => s.inputValue === "what's 45 * 24?");
      await expect.poll(() => roots().map((s) => s.name), { timeout: 15_000 }).toEqual(["chat"]);
      expect(log.feedbackFor(roots()[0]!.traceId)).toHaveLength(1);
    } finally {
      log.close();
    }
  });
});
