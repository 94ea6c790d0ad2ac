import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { chatRequestSchema } from "@/agents/contract";
import { parseFlags } from "@/lib/cli/parse-flags";
import type { TurnResult } from "./client";
import { CHAOS_FLAG_OPTIONS, chaosFlagsSchema, chaosOptions, serverOverrides } from "./options";
import { discoverApiRoutes, fuzzCases, type FuzzCase } from "./scenarios/fuzz-cases";
import { summarizeTurns, turnFailures } from "./tally";
import { leftoverFiles } from "./trace-log-check";

const options = (...argv: string[]) => chaosOptions(parseFlags(argv, chaosFlagsSchema, { ...CHAOS_FLAG_OPTIONS, usageHint: "test" }));
// Comparing 1,000 cases with their 2 MB bodies field by field takes minutes; their hash does not.
function digest(cases: readonly FuzzCase[]): string {
  const hash = createHash("sha256");
  for (const c of cases) hash.update(JSON.stringify([c.method, c.path, c.headers, c.kind])).update(c.body ?? "");
  return hash.digest("hex");
}
const turn = (fields: Partial<TurnResult>): TurnResult => ({ aborted: false, ms: 1_000, toolOutputs: [], events: 0, ...fields });

describe("chaos flags", () => {
  it("run the full size by default, the CI size with --short, and only the scenarios named", () => {
    expect(options().sizes).toMatchObject({ sessions: 20, sessionMs: 300_000, fuzzRequests: 1_000 });
    expect(options().scenarios).toHaveLength(8);
    expect(options("--short").sizes).toMatchObject({ sessions: 4, sessionMs: 30_000, fuzzRequests: 1_000 });
    expect(options("--short", "--sessions", "7", "--minutes", "2").sizes).toMatchObject({ sessions: 7, sessionMs: 120_000 });
    expect(options("--only", "kill9,fuzz").scenarios).toEqual(["fuzz", "kill9"]);
    expect(options("--json", "out.json").reportFile).toBe(path.resolve("out.json"));
    expect(options().reportFile).toMatch(/\.data\/chaos\/report-\d{4}-.*\.json$/);
  });

  it("refuse an unknown scenario and a bad number, naming the flag", () => {
    expect(() => options("--only", "sessions,meteor")).toThrow(/--only/);
    expect(() => options("--sessions", "0")).toThrow(/--sessions/);
    expect(() => options("--full-disk", "floppy")).toThrow(/--full-disk/);
  });

  it("give the servers the local model, and a small queue only to --short when none is set", () => {
    expect(serverOverrides(false, {})).toEqual({ LLM_PROVIDER: "local" });
    expect(serverOverrides(true, {})).toEqual({ LLM_PROVIDER: "local", CHAT_MAX_QUEUE: "2" });
    expect(serverOverrides(true, { CHAT_MAX_QUEUE: "5" })).toEqual({ LLM_PROVIDER: "local" });
  });
});

describe("fuzz cases", () => {
  const routes = discoverApiRoutes();
  const cases = fuzzCases(routes, 1_000, 42, "admin-token-0123456789");

  it("cover every API route of the app, the same ones for the same seed", () => {
    expect(routes.map((r) => r.path)).toEqual(
      expect.arrayContaining(["/api/chat", "/api/feedback", "/api/health", "/api/review/decisions", "/api/review/queue"]),
    );
    expect(new Set(cases.map((c) => c.route))).toEqual(new Set(routes.map((r) => r.path)));
    expect(digest(fuzzCases(routes, 1_000, 42, "admin-token-0123456789"))).toBe(digest(cases));
    expect(digest(fuzzCases(routes, 1_000, 43, "admin-token-0123456789"))).not.toBe(digest(cases));
  });

  it("include huge bodies, odd methods and bad headers", () => {
    const kinds = new Set(cases.map((c) => c.kind));
    for (const kind of ["huge body (2 MB)", "just over the body limit", "malformed JSON", "unicode", "20 KB header", "declares 50 MB"])
      expect(kinds).toContain(kind);
    expect(cases.some((c) => !["GET", "POST"].includes(c.method))).toBe(true);
  });

  it("never make a chat request the server would answer with a real turn", () => {
    const runnable = cases.filter((c) => {
      if (c.route !== "/api/chat" || c.method !== "POST" || c.path !== "/api/chat" || c.headers["content-length"]) return false;
      if (!/^application\/json\b/i.test(c.headers["content-type"] ?? "")) return false;
      if (c.headers.accept && !/application\/json|text\/event-stream|\*\/\*/.test(c.headers.accept)) return false;
      try {
        return chatRequestSchema.safeParse(JSON.parse(c.body?.toString("utf8") ?? "")).success;
      } catch {
        return false;
      }
    });
    expect(runnable).toEqual([]);
  });
});

describe("turn summaries", () => {
  const limitMs = 10_000;

  it("count statuses, refusals with and without Retry-After, and latency over answered turns", () => {
    const summary = summarizeTurns(
      [
        turn({ status: 200, ms: 100 }),
        turn({ status: 200, ms: 300 }),
        turn({ status: 503, retryAfter: "4", ms: 5 }),
        turn({ status: 429, ms: 5 }),
      ],
      limitMs,
    );
    expect(summary).toMatchObject({
      turns: 4,
      answered: 2,
      fiveXx: 1,
      refusedWithRetryAfter: 1,
      refusedWithoutRetryAfter: 1,
      overDeadline: 0,
    });
    expect(summary.statuses).toEqual({ "200": 2, "429": 1, "503": 1 });
    expect(summary.latencyMs).toEqual({ p50: 200, p95: 290, max: 300 });
    expect(turnFailures(summary)).toEqual(["1 refusal(s) (429/503) without Retry-After"]);
  });

  it("fail a 500, a turn kept past the deadline, a dropped connection and a stream that ends in an error", () => {
    const summary = summarizeTurns(
      [
        turn({ status: 500 }),
        turn({ status: 200, ms: 20_000 }),
        turn({ failure: "network" }),
        turn({ status: 200, errorCode: "internal" }),
      ],
      limitMs,
    );
    expect(turnFailures(summary)).toEqual([
      "5xx other than 503: 1 x 500",
      "1 turn(s) waited past the queue timeout + turn deadline",
      "1 connection(s) failed or streams ended without done",
      "streams ended with error events: 1 x internal",
    ]);
    expect(turnFailures(summarizeTurns([turn({ status: 200 }), turn({ status: 503, retryAfter: "2" })], limitMs))).toEqual([]);
  });
});

describe("leftoverFiles", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("finds temporary files, locks and journals, and leaves the data alone", () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "chaos-leftovers-"));
    fs.mkdirSync(path.join(dir, "datasets"));
    for (const name of [
      "traces.sqlite",
      "review-queue.jsonl",
      "datasets/manual.jsonl",
      "traces.sqlite-wal",
      "review-queue.jsonl.lock",
      "datasets/production.jsonl.tmp-123",
    ]) {
      fs.writeFileSync(path.join(dir, name), "");
    }
    expect(
      leftoverFiles([dir, path.join(dir, "missing")])
        .map((file) => path.relative(dir!, file))
        .sort(),
    ).toEqual(["datasets/production.jsonl.tmp-123", "review-queue.jsonl.lock", "traces.sqlite-wal"]);
  });
});
