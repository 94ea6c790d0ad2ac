import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ErrorBody } from "@/lib/errors";
import { freePort } from "@/test-support/process/free-port";
import { startProductionServer, type RunningServer } from "@/test-support/server/production-server";

// Admission control on the production build with the real local model: one turn runs, one
// waits, and the rest are refused at once with 503 and Retry-After instead of queueing
// behind them. (The whole-turn deadline is tested in agents/chat-turn.test.ts.)

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
