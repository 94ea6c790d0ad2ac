import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { getHealth, outcomeKey, postJson, type TurnResult } from "../client";
import { mixedQuestion } from "../questions";
import type { Scenario } from "../scenario";
import { countBy, formatCounts } from "../tally";

// Room for the log's schema and a turn or two of spans (a turn writes a few hundred KB).
const DISK_BYTES = 512 * 1024;
// Turns that must still be answered once the log has started failing.
const TURNS_AFTER_FAILURE = 2;

type Method = "tmpfs" | "fsize";

// A small tmpfs in a mount namespace of the server's own (a user namespace makes it work without root where the kernel allows).
const tmpfsLauncher = (dir: string, bytes: number) => [
  "unshare",
  "--user",
  "--map-root-user",
  "--mount",
  "sh",
  "-c",
  `mount -t tmpfs -o size=${bytes} tmpfs "$0" && exec "$@"`,
  dir,
];
// RLIMIT_FSIZE: a write past it fails with EFBIG (Node ignores SIGXFSZ). bash's ulimit -f counts 1024-byte blocks.
const fsizeLauncher = (bytes: number) => ["bash", "-c", `ulimit -f ${Math.floor(bytes / 1024)} && exec "$@"`, "bash"];

/** Whether a tmpfs can be mounted here (privileges, user namespaces). */
function tmpfsWorks(dir: string): boolean {
  const [command, ...args] = tmpfsLauncher(dir, 64 * 1024);
  return spawnSync(command!, [...args, "true"], { stdio: "ignore", timeout: 10_000 }).status === 0;
}

/**
 * The trace log on a full disk: a small tmpfs where one can be mounted, else a file size limit
 * on the server process. The chat must keep answering while the log's writes fail, and the
 * admin's /api/health must report the failures (`tracing.logWrites.dropped`, `lastError`).
 */
export const fullDiskScenario: Scenario = {
  name: "full-disk",
  describe: (ctx) =>
    `the trace log limited to ${DISK_BYTES / 1024} KiB (${ctx.options.fullDisk}), up to ${ctx.options.sizes.fullDiskTurns} turns`,
  boundMs: (ctx) => ctx.options.sizes.fullDiskTurns * ctx.turnTimeoutMs + 180_000,
  async run(ctx, signal) {
    const dataDir = ctx.newDir("full-disk");
    const logDir = path.join(dataDir, "log");
    fs.mkdirSync(logDir);
    const method: Method = ctx.options.fullDisk === "auto" ? (tmpfsWorks(logDir) ? "tmpfs" : "fsize") : ctx.options.fullDisk;
    const server = await ctx.startServer("full-disk", {
      dataDir,
      env: { TRACE_LOG_PATH: path.join(logDir, "traces.sqlite") },
      launcher: method === "tmpfs" ? tmpfsLauncher(logDir, DISK_BYTES) : fsizeLauncher(DISK_BYTES),
    });
    const turns: TurnResult[] = [];
    let logWrites: { written: number; dropped: number; lastError?: string } | undefined;
    let answeredSinceFailure = 0;
    for (let i = 0; i < ctx.options.sizes.fullDiskTurns && answeredSinceFailure < TURNS_AFTER_FAILURE && !signal.aborted; i++) {
      const turn = await ctx.turn(server, mixedQuestion(i), undefined, i % 2 === 0 ? "json" : "stream", signal);
      turns.push(turn);
      if (logWrites?.dropped && turn.status === 200) answeredSinceFailure++;
      logWrites = (await getHealth(server.url, ctx.adminToken)).body?.tracing.logWrites;
    }
    const lastTrace = turns.findLast((t) => t.traceId)?.traceId;
    const feedback = lastTrace ? await postJson(server.url, "/api/feedback", { traceId: lastTrace, score: 0 }) : undefined;
    const health = await getHealth(server.url, ctx.adminToken);
    logWrites = health.body?.tracing.logWrites ?? logWrites;
    await server.stop();

    const failures: string[] = [];
    const unanswered = turns.filter((t) => t.status !== 200 || t.errorCode || t.failure);
    if (unanswered.length > 0)
      failures.push(`${unanswered.length} turn(s) not answered: ${formatCounts(countBy(unanswered.map(outcomeKey)))}`);
    if (!logWrites?.dropped)
      failures.push(`/api/health reported no failed trace log writes after ${turns.length} turns (${JSON.stringify(logWrites ?? null)})`);
    if (health.status !== 200) failures.push(`GET /api/health answered ${health.status}`);
    if (feedback && feedback.status >= 500 && feedback.errorCode !== "trace_not_logged")
      failures.push(`feedback answered ${feedback.status} ${feedback.errorCode ?? ""}`);
    return {
      figures: {
        method,
        diskBytes: DISK_BYTES,
        turns: turns.length,
        statuses: countBy(turns.map(outcomeKey)),
        logWrites: logWrites ? { written: logWrites.written, dropped: logWrites.dropped, lastError: logWrites.lastError ?? null } : null,
        feedback: feedback ? `${feedback.status} ${feedback.errorCode ?? ""}`.trim() : null,
        healthAfter: health.status,
      },
      lines: [
        `${method} of ${DISK_BYTES / 1024} KiB: ${turns.length} turns, ${formatCounts(countBy(turns.map(outcomeKey)))}`,
        `log writes: ${logWrites ? `${logWrites.written} written, ${logWrites.dropped} dropped` : "not reported"}${logWrites?.lastError ? ` (...${logWrites.lastError.slice(-40)})` : ""}`,
        `feedback on the last trace ${feedback ? `${feedback.status} ${feedback.errorCode ?? ""}` : "-"}; health ${health.status}`,
      ],
      failures,
    };
  },
};
