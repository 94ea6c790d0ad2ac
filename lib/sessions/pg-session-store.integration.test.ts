import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type pg from "pg";
import { createPool } from "@/lib/postgres/pool";
import type { LocalPostgres } from "@/lib/postgres/local-postgres";
import { startThrowawayPostgres } from "@/test-support/postgres/throwaway-postgres";
import { InMemorySessionStore, type SessionLimits, type Turn } from "./session-store";
import { PgSessionStore } from "./pg-session-store";

// Two replicas: two pools (two sets of connections) on one database, as two app processes would have.
let server: LocalPostgres;
let pools: pg.Pool[] = [];

beforeAll(async () => {
  server = await startThrowawayPostgres(process.cwd(), "sessions_test");
  pools = [0, 1].map(() => createPool({ url: server.url, poolMax: 4, connectTimeoutMs: 5_000 }));
});

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await server?.stop();
});

beforeEach(async () => {
  await new PgSessionStore(pools[0]!).migrate();
  await pools[0]!.query("TRUNCATE sessions CASCADE");
});

const replicas = (limits: Partial<SessionLimits> = {}) =>
  pools.map((pool) => new PgSessionStore(pool, limits)) as [PgSessionStore, PgSessionStore];
const users = (turns: Turn[]) => turns.map((t) => t.user);

describe("PgSessionStore", () => {
  it("continues a conversation on the other replica", async () => {
    const [a, b] = replicas();
    await a.append("s", { user: "q1", assistant: "a1" });
    await b.append("s", { user: "q2", assistant: "a2" });
    expect(await a.history("s")).toEqual([
      { user: "q1", assistant: "a1" },
      { user: "q2", assistant: "a2" },
    ]);
    expect(await b.history("missing")).toEqual([]);
  });

  it("caps turns per session, dropping the oldest, whichever replica wrote them", async () => {
    const [a, b] = replicas({ maxTurns: 2 });
    await a.append("s", { user: "q1", assistant: "a1" });
    await b.append("s", { user: "q2", assistant: "a2" });
    await a.append("s", { user: "q3", assistant: "a3" });
    expect(users(await b.history("s"))).toEqual(["q2", "q3"]);
  });

  it("evicts the least recently used session across replicas when full", async () => {
    const [a, b] = replicas({ maxSessions: 2, maxTurns: 5 });
    await a.append("a", { user: "1", assistant: "1" });
    await b.append("b", { user: "2", assistant: "2" });
    await b.history("a"); // touched on the other replica: b is now the oldest
    await a.append("c", { user: "3", assistant: "3" });
    expect(await a.history("b")).toEqual([]);
    expect(await b.history("a")).toHaveLength(1);
    expect(await b.history("c")).toHaveLength(1);
  });

  it("stays within its byte budget, counting UTF-8 bytes, and keeps a lone session's newest turns", async () => {
    const [a, b] = replicas({ maxBytes: 10_000 });
    const big = (n: number) => ({ user: `q${n}`, assistant: "€".repeat(700) }); // 2,100 bytes + the question
    for (let n = 0; n < 20; n++) await (n % 2 ? a : b).append(`s${n}`, big(n));
    expect((await a.size()).bytes).toBeLessThanOrEqual(10_000);
    expect((await a.size()).sessions).toBe(4);
    expect(await b.history("s19")).toHaveLength(1);
    expect(await b.history("s0")).toEqual([]);
    for (let n = 0; n < 8; n++) await (n % 2 ? a : b).append("alone", { user: `q${n}`, assistant: "y".repeat(4_000) });
    expect(users(await a.history("alone"))).toEqual(["q6", "q7"]);
    expect(await a.size()).toEqual({ sessions: 1, bytes: 8_004 });
  });

  it("keeps the same turns as the in-memory store for the same sequence of calls", async () => {
    const limits = { maxSessions: 3, maxTurns: 3, maxBytes: 2_000 };
    const [a, b] = replicas(limits);
    const memory = new InMemorySessionStore(limits);
    for (let n = 0; n < 40; n++) {
      const id = `s${(n * 7) % 5}`;
      const turn = { user: `q${n}`, assistant: "x".repeat((n * 37) % 400) };
      if (n % 3 === 0) expect(await (n % 2 ? a : b).history(id)).toEqual(await memory.history(id));
      await (n % 2 ? a : b).append(id, turn);
      await memory.append(id, turn);
    }
    for (const id of ["s0", "s1", "s2", "s3", "s4"]) expect(await a.history(id)).toEqual(await memory.history(id));
    expect(await a.size()).toEqual(memory.size);
  });

  it("loses no turn when both replicas append to one session at once", async () => {
    const [a, b] = replicas({ maxTurns: 100 });
    await Promise.all(Array.from({ length: 40 }, (_, n) => (n % 2 ? a : b).append("shared", { user: `q${n}`, assistant: "" })));
    const turns = users(await a.history("shared"));
    expect(turns).toHaveLength(40);
    expect(new Set(turns).size).toBe(40);
  });

  it("stores text PostgreSQL cannot hold (NUL) instead of failing the turn", async () => {
    const [a] = replicas();
    await a.append("nul", { user: "a\u0000b", assistant: "ok" });
    expect(await a.history("nul")).toEqual([{ user: "a\uFFFDb", assistant: "ok" }]);
  });
});
