import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatResult } from "@/agents/contract";
import { runAgentChat } from "@/agents/graph/run-agent-chat";
import { scheduleOnlineEval } from "@/agents/online-eval";
import { getChatDeps } from "@/agents/runtime";
import { loadConfig } from "@/lib/config";
import { readReviewQueue, type ReviewCandidate } from "@/lib/curation/review-queue";
import { recordFeedback } from "@/lib/telemetry/feedback";
import { runTsxScript, type ScriptResult } from "@/test-support/process/run-tsx-script";
import { PhoenixClient } from "@/lib/telemetry/phoenix-client";
import type { RunningPhoenix } from "@/lib/telemetry/phoenix-server";
import { freePort } from "@/test-support/process/free-port";
import { PhoenixTraceReader } from "@/lib/telemetry/phoenix-trace-reader";
import { startNodeTracing } from "@/lib/telemetry/node-tracing";
import { startThrowawayPhoenix, untilPhoenixHas } from "@/test-support/phoenix/throwaway-phoenix";
import type { TracingPipeline } from "@/lib/telemetry/tracing-pipeline";

// `npm run curate` end to end: real traces from the real agent (real models, index and router),
// traced to a throwaway Phoenix and a temp trace log, a thumbs-down through the feedback path
// and online scores through the online-eval path; then the CLI from both sources must propose
// the thumbs-down trace with the same fields, and leave the eval-run trace alone.

const dir = mkdtempSync(path.join(os.tmpdir(), "curate-it-"));
const project = `curate-it-${randomBytes(3).toString("hex")}`;
const traceLogPath = path.join(dir, "traces.sqlite");
let phoenix: RunningPhoenix;
let tracing: TracingPipeline;
let env: Record<string, string>;
const turns: Record<"first" | "disliked" | "evalRun" | "calc", ChatResult> = {} as never;

function runCurate(args: string[], extraEnv: Record<string, string> = {}): Promise<ScriptResult> {
  return runTsxScript("scripts/curate.ts", args, { ...env, ...extraEnv });
}

beforeAll(async () => {
  phoenix = await startThrowawayPhoenix(process.cwd());
  env = {
    TRACE_LOG_PATH: traceLogPath,
    PHOENIX_COLLECTOR_ENDPOINT: phoenix.url,
    PHOENIX_PROJECT_NAME: project,
    PHOENIX_EXPORT: "on",
    TRACING: "on",
  };
  tracing = startNodeTracing(loadConfig({ ...process.env, ...env }))!;
  const deps = await getChatDeps();
  const session = `curate-it-${randomBytes(4).toString("hex")}`;
  turns.first = await runAgentChat({ message: "How long is paid parental leave for a primary caregiver?", sessionId: session }, deps);
  turns.disliked = await runAgentChat({ message: "Does the same apply to employees who adopt a child?", sessionId: session }, deps);
  turns.evalRun = await runAgentChat({ message: "Is the Roadrunner R100 waterproof?" }, deps, { tags: ["eval", "eval-run:curate-it"] });
  turns.calc = await runAgentChat({ message: "What is 15% of 240?" }, deps);
  const online = { sample: 1, traceLog: tracing.traceLog, flush: () => tracing.flush(), phoenix: tracing.phoenix };
  const scored = await Promise.all(
    [turns.disliked, turns.calc].map(
      (result) =>
        scheduleOnlineEval(
          { message: result === turns.calc ? "What is 15% of 240?" : "Does the same apply to employees who adopt a child?", result },
          online,
        ).done,
    ),
  );
  expect(scored.map((s) => s?.phoenix)).toEqual(["sent", "sent"]);
  const feedbackDeps = { traceLog: tracing.traceLog, flush: () => tracing.flush(), phoenix: tracing.phoenix };
  for (const turn of [turns.disliked, turns.evalRun]) {
    const { delivered } = await recordFeedback(
      { traceId: turn.traceId, score: 0, comment: "adoption leave is not covered like that" },
      feedbackDeps,
    );
    expect(await delivered).toBe(true);
  }
  await tracing.flush();
  // Phoenix ingests in the background: wait until it holds every span the log holds.
  const reader = new PhoenixTraceReader(new PhoenixClient({ baseUrl: phoenix.url, timeoutMs: 10_000 }), project);
  await untilPhoenixHas(async () => {
    const complete = await Promise.all(
      Object.values(turns).map(async (t) => (await reader.trace(t.traceId)).length === (await tracing.traceLog.trace(t.traceId)).length),
    );
    return complete.every(Boolean) ? true : undefined;
  });
}, 300_000);

afterAll(async () => {
  await tracing?.shutdown();
  await phoenix?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A candidate without what depends on the run or on the store's time precision (checked apart, to the millisecond). */
function comparable(c: ReviewCandidate) {
  const { proposedAt: _p, traceSource: _s, latencyMs: _l, tracedAt: _t, ...rest } = c;
  return rest;
}

function expectSameCandidate(fromPhoenix: ReviewCandidate, fromLog: ReviewCandidate): void {
  expect(comparable(fromPhoenix)).toEqual(comparable(fromLog));
  expect(Math.abs(fromPhoenix.latencyMs - fromLog.latencyMs)).toBeLessThanOrEqual(1);
  expect(Math.abs(Date.parse(fromPhoenix.tracedAt) - Date.parse(fromLog.tracedAt))).toBeLessThanOrEqual(1);
}

describe("npm run curate", () => {
  it("proposes the thumbs-down trace from the trace log and from Phoenix, with the same candidate", async () => {
    const fromLog = path.join(dir, "queue-log.jsonl");
    const fromPhoenix = path.join(dir, "queue-phoenix.jsonl");
    const log = await runCurate(["--source", "log", "--since", "1h", "--out", fromLog]);
    expect(log.code, log.stdout + log.stderr).toBe(0);
    expect(log.stdout).toMatch(/Traces read: 4\b/);
    expect(log.stdout).toContain("1 eval runs");
    expect(log.stdout).toMatch(/negative_feedback\s+1/);
    expect(log.stdout).toContain(`Review queue: ${fromLog}`);
    const phx = await runCurate(["--source", "phoenix", "--since", "1h", "--out", fromPhoenix]);
    expect(phx.code, phx.stdout + phx.stderr).toBe(0);

    const logQueue = readReviewQueue(fromLog);
    const phoenixQueue = readReviewQueue(fromPhoenix);
    const disliked = (queue: ReviewCandidate[]) => queue.find((c) => c.traceId === turns.disliked.traceId);
    for (const queue of [logQueue, phoenixQueue]) {
      expect(queue.map((c) => c.traceId)).not.toContain(turns.evalRun.traceId);
      expect(disliked(queue)?.reasons[0]).toEqual({
        code: "negative_feedback",
        detail: "👎 with comment: adoption leave is not covered like that",
      });
    }
    const a = disliked(logQueue)!;
    const b = disliked(phoenixQueue)!;
    expect(a.traceSource).toBe("log");
    expect(b.traceSource).toBe("phoenix");
    expect(a).toMatchObject({
      input: {
        message: "Does the same apply to employees who adopt a child?",
        history: [
          { role: "user", content: "How long is paid parental leave for a primary caregiver?" },
          { role: "assistant", content: turns.first.answer },
        ],
      },
      answer: turns.disliked.answer,
      feedback: [{ score: 0, comment: "adoption leave is not covered like that" }],
      onlineScores: { "online.claims": expect.objectContaining({ label: expect.any(String) }) },
      status: "pending",
      traceUrl: expect.stringContaining(turns.disliked.traceId),
    });
    expect(a.toolCalls.length).toBeGreaterThan(0);
    expectSameCandidate(b, a);
    // Every candidate both sources proposed is the same candidate.
    const byTrace = new Map(phoenixQueue.map((c) => [c.traceId, c]));
    expect(phoenixQueue.map((c) => c.traceId).sort()).toEqual(logQueue.map((c) => c.traceId).sort());
    for (const c of logQueue) expectSameCandidate(byTrace.get(c.traceId)!, c);

    // A second run proposes nothing new and keeps the queue as it was.
    const again = await runCurate(["--source", "log", "--since", "1h", "--out", fromLog]);
    expect(again.stdout).toContain("Proposed: 0 candidates");
    expect(readReviewQueue(fromLog)).toEqual(logQueue);
  });

  it("exits 2 with a clear message when Phoenix is not reachable or a flag is bad", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const down = await runCurate(["--source", "phoenix", "--out", path.join(dir, "never.jsonl")], { PHOENIX_COLLECTOR_ENDPOINT: url });
    expect(down.code).toBe(2);
    expect(down.stderr).toContain(`Phoenix is not reachable at ${url}`);
    const bad = await runCurate(["--max", "0"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--max must be a positive integer");
    const noLog = await runCurate(["--trace-log", path.join(dir, "missing.sqlite")]);
    expect(noLog.code).toBe(2);
    expect(noLog.stderr).toContain("no trace log at");
  });
});
