import { describe, expect, it } from "vitest";
import { InMemorySessionStore } from "./session-store";

describe("InMemorySessionStore", () => {
  it("keeps turns per session in order", () => {
    const store = new InMemorySessionStore();
    store.append("a", { user: "q1", assistant: "a1" });
    store.append("b", { user: "other", assistant: "x" });
    store.append("a", { user: "q2", assistant: "a2" });
    expect(store.history("a").map((t) => t.user)).toEqual(["q1", "q2"]);
    expect(store.history("missing")).toEqual([]);
  });

  it("caps turns per session, dropping the oldest", () => {
    const store = new InMemorySessionStore(10, 2);
    for (const n of [1, 2, 3]) store.append("s", { user: `q${n}`, assistant: `a${n}` });
    expect(store.history("s").map((t) => t.user)).toEqual(["q2", "q3"]);
  });

  it("evicts the least recently used session when full", () => {
    const store = new InMemorySessionStore(2, 5);
    store.append("a", { user: "1", assistant: "1" });
    store.append("b", { user: "2", assistant: "2" });
    store.history("a"); // touch a: b is now the oldest
    store.append("c", { user: "3", assistant: "3" });
    expect(store.history("b")).toEqual([]);
    expect(store.history("a")).toHaveLength(1);
    expect(store.history("c")).toHaveLength(1);
  });

  it("returns a copy that callers cannot use to mutate the store", () => {
    const store = new InMemorySessionStore();
    store.append("a", { user: "q", assistant: "a" });
    store.history("a").push({ user: "injected", assistant: "" });
    expect(store.history("a")).toHaveLength(1);
  });
});
