import { describe, expect, it } from "vitest";
import { DEFAULT_CONVERSATIONS_FILE, loadConversations } from "./load";
import { formatPlan, planRun } from "./plan";

const conversations = loadConversations(DEFAULT_CONVERSATIONS_FILE);
const keys = (seed: number, sessions?: number) =>
  planRun(conversations, { seed, runId: "run1", ...(sessions ? { sessions } : {}) }).sessions.map((s) => s.key);

describe("planRun", () => {
  it("plays every session once by default, in an order fixed by the seed", () => {
    const all = keys(42);
    const total = conversations.personas.reduce((n, p) => n + p.sessions.length, 0);
    expect(all).toHaveLength(total);
    expect(new Set(all).size).toBe(total);
    expect(keys(42)).toEqual(all);
    expect(keys(43)).not.toEqual(all);
  });

  it("picks --sessions N from as many personas as possible, deterministically", () => {
    const five = keys(42, 5);
    expect(five).toHaveLength(5);
    expect(five).toEqual(keys(42, 5));
    expect(new Set(five.map((k) => k.split("/")[0])).size).toBe(5);
    // A smaller run is a prefix of the full one.
    expect(keys(42).slice(0, 5)).toEqual(five);
  });

  it("names sessions traffic-<persona>-<n>-<run id> and counts the turns", () => {
    const plan = planRun(conversations, { seed: 1, runId: "abc123", sessions: 3 });
    for (const s of plan.sessions) expect(s.sessionId).toBe(`traffic-${s.persona.id}-${s.number}-abc123`);
    expect(plan.turns).toBe(plan.sessions.reduce((n, s) => n + s.turns.length, 0));
    expect(formatPlan(plan)).toContain("Plan: 3 of");
  });

  it("rejects a bad run id or session count", () => {
    expect(() => planRun(conversations, { seed: 1, runId: "has space" })).toThrow(/run id/);
    expect(() => planRun(conversations, { seed: 1, runId: "x", sessions: 0 })).toThrow(/--sessions/);
  });
});
