import { describe, expect, it } from "vitest";
import { closePools } from "../postgres/pool";
import { PgSessionStore } from "./pg-session-store";
import { createSessionStore } from "./session-backend";
import { InMemorySessionStore } from "./session-store";

const database = { url: "postgresql://postgres@127.0.0.1:1/none", poolMax: 1, connectTimeoutMs: 200 };

describe("createSessionStore", () => {
  it("keeps sessions in memory without DATABASE_URL", () => {
    expect(createSessionStore({ sessions: {} })).toBeInstanceOf(InMemorySessionStore);
  });

  it("keeps them in PostgreSQL with DATABASE_URL, and warns when replicas cannot share session ids", async () => {
    const warnings: string[] = [];
    expect(createSessionStore({ database, sessions: {} }, (m) => warnings.push(m))).toBeInstanceOf(PgSessionStore);
    expect(warnings.join()).toMatch(/SESSION_SECRET is not/);
    expect(createSessionStore({ database, sessions: { secret: "s".repeat(32) } }, (m) => warnings.push(m))).toBeInstanceOf(PgSessionStore);
    expect(warnings).toHaveLength(1);
    await closePools();
  });

  it("reports a database that cannot be reached as database_unavailable", async () => {
    const store = createSessionStore({ database, sessions: { secret: "s".repeat(32) } });
    await expect(store.history("s")).rejects.toMatchObject({ code: "database_unavailable" });
    await closePools();
  });
});
