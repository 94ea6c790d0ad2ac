import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ChatResult } from "./agents/contract";
import { TraceLog } from "./lib/telemetry/trace-log/trace-log";
import { startProductionServer, type RunningServer } from "@/test-support/server/production-server";
import { freePort } from "./test-support/process/free-port";

// A server stopped the way Docker, systemd or Ctrl+C stop it (SIGTERM, SIGINT) right after a
// turn: Next.js lets the request finish and then ends the process with process.exit, where no
// asynchronous flush can run. The turn must be in the trace log all the same, and the log closed.

const workDir = mkdtempSync(path.join(os.tmpdir(), "rag-shutdown-"));
let server: RunningServer | undefined;

afterAll(async () => {
  await server?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

describe("stopping the production server", () => {
  it("leaves every span of the last turn in the trace log, and the log closed (no -wal file left)", async () => {
    const traceLogPath = path.join(workDir, "traces.sqlite");
    server = await startProductionServer({
      port: await freePort(),
      env: { TRACE_LOG_PATH: traceLogPath, TRACING: "on", PHOENIX_EXPORT: "off", ALERTS_INTERVAL_S: "0" },
    });
    // The calculator route: the router decides and no chat model is loaded.
    const response = await fetch(`${server.url}/api/chat`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ message: "What is 15% of 240?" }),
    });
    expect(response.status, server.output().slice(-2000)).toBe(200);
    const { traceId } = (await response.json()) as ChatResult;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);

    await server.stop();
    const exit = await server.exited;
    server = undefined;
    // SIGTERM, not the SIGKILL stop() falls back to after its grace period.
    expect(exit.signal ?? exit.code).not.toBe("SIGKILL");
    expect(existsSync(`${traceLogPath}-wal`)).toBe(false);

    const log = new TraceLog(traceLogPath);
    try {
      expect(log.rootSpan(traceId)?.name).toBeDefined();
      const names = log.trace(traceId).map((span) => span.name);
      expect(names).toEqual(expect.arrayContaining(["agent_graph", "route", "calculator"]));
    } finally {
      log.close();
    }
  });
});
