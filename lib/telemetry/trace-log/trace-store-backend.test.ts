import path from "node:path";
import { describe, expect, it } from "vitest";
import { closePools } from "@/lib/postgres/pool";
import { makeTempDir } from "@/test-support/trace-log/recorded-traces";
import { PgTraceLog } from "./pg-trace-log";
import { PG_TRACE_LOG_MIGRATIONS } from "./pg-trace-log-schema";
import { TraceLog } from "./trace-log";
import { TRACE_LOG_SCHEMA_VERSION } from "./trace-log-schema";
import { withoutPassword } from "@/lib/postgres/redacted-url";
import { openTraceStore } from "./trace-store-backend";

describe("openTraceStore", () => {
  it("opens the SQLite file without DATABASE_URL", () => {
    const temp = makeTempDir();
    const file = path.join(temp.dir, "traces.sqlite");
    const store = openTraceStore({ tracing: { log: { path: file } } });
    expect(store).toBeInstanceOf(TraceLog);
    expect(store.location).toBe(file);
    void store.close();
    temp.remove();
  });

  it("uses PostgreSQL with DATABASE_URL, naming it without the password", async () => {
    const database = { url: "postgresql://app:s3cret@db.internal:5432/rag?sslmode=require", poolMax: 1, connectTimeoutMs: 200 };
    const store = openTraceStore({ database, tracing: { log: { path: "/nonexistent/never-created.sqlite" } } });
    expect(store).toBeInstanceOf(PgTraceLog);
    expect(store.location).toBe("postgresql://app:***@db.internal:5432/rag");
    expect(store.location).not.toContain("s3cret");
    await closePools();
  });

  it("keeps the PostgreSQL migrations in step with the SQLite ones (same versions, same tables)", () => {
    expect(PG_TRACE_LOG_MIGRATIONS).toHaveLength(TRACE_LOG_SCHEMA_VERSION);
    expect(withoutPassword("not a url")).not.toContain("not a url");
  });
});
