import { describe, expect, it } from "vitest";
import { InMemorySessionStore } from "./session-store";

describe("InMemorySessionStore", () => {
  it("keeps turns per session in order", async () => {
    const store = new InMemorySessionStore();
    await store.append("a", { user: "q1", assistant: "a1" });
    await store.append("b", { user: "other", assistant: "x" });
    await store.append("a", { user: "q2", assistant: "a2" });
    expect((await store.history("a")).map((t) => t.user)).toEqual(["q1", "q2"]);
    expect(await store.history("missing")).toEqual([]);
  });

  it("caps turns per session, dropping the oldest", async () => {
    const store = new InMemorySessionStore({ maxSessions: 10, maxTurns: 2 });
    for (const n of [1, 2, 3]) await store.append("s", { user: `q${n}`, assistant: `a${n}` });
    expect((await store.history("s")).map((t) => t.user)).toEqual(["q2", "q3"]);
  });

  it("evicts the least recently used session when full", async () => {
    const store = new InMemorySessionStore({ maxSessions: 2, maxTurns: 5 });
    await store.append("a", { user: "1", assistant: "1" });
    await store.append("b", { user: "2", assistant: "2" });
    await store.history("a"); // touch a: b is now the oldest
    await store.append("c", { user: "3", assistant: "3" });
    expect(await store.history("b")).toEqual([]);
    expect(await store.history("a")).toHaveLength(1);
    expect(await store.history("c")).toHaveLength(1);
  });

  it("returns a copy that callers cannot use to mutate the store", async () => {
    const store = new InMemorySessionStore();
    await store.append("a", { user: "q", assistant: "a" });
    (await store.history("a")).push({ user: "injected", assistant: "" });
    expect(await store.history("a")).toHaveLength(1);
  });

  it("stays within its byte budget, evicting the least recently used sessions first", async () => {
    const store = new InMemorySessionStore({ maxBytes: 10_000 });
    const big = (n: number) => ({ user: `q${n}`, assistant: "x".repeat(2_000) });
    for (let n = 0; n < 20; n++) await store.append(`s${n}`, big(n));
    expect(store.size.bytes).toBeLessThanOrEqual(10_000);
    expect(await store.history("s19")).toHaveLength(1);
    expect(await store.history("s0")).toEqual([]);
    expect(store.size.sessions).toBe(4);
  });

  it("keeps a session's newest turns when it alone passes the budget", async () => {
    const store = new InMemorySessionStore({ maxBytes: 5_000 });
    for (let n = 0; n < 5; n++) await store.append("s", { user: `q${n}`, assistant: "y".repeat(2_000) });
    expect((await store.history("s")).map((t) => t.user)).toEqual(["q3", "q4"]);
    expect(store.size.bytes).toBeLessThanOrEqual(5_000);
  });

  it("counts bytes, not characters", async () => {
    const store = new InMemorySessionStore();
    await store.append("s", { user: "€", assistant: "é" });
    expect(store.size.bytes).toBe(5);
  });
});
