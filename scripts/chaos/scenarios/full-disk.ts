import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { ProcessExit } from "@/lib/telemetry/server-process";
import { getHealth, outcomeKey, postJson, type TurnResult } from "../client";
import type { ChaosContext, ChaosServer } from "../context";
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
// RLIMIT_FSIZE: a write past it fails with EFBIG where SIGXFSZ is ignored, as Node does (but see SIGXFSZ_WHY).
// bash's ulimit -f counts 1024-byte blocks.
const fsizeLauncher = (bytes: number) => ["bash", "-c", `ulimit -f ${Math.floor(bytes / 1024)} && exec "$@"`, "bash"];

/** Whether a tmpfs can be mounted here (privileges, user namespaces). */
function tmpfsWorks(dir: string): boolean {
  const [command, ...args] = tmpfsLauncher(dir, 64 * 1024);
  return spawnSync(command ?? "unshare", [...args, "true"], { stdio: "ignore", timeout: 10_000 }).status === 0;
}

/**
 * The trace log on a full disk: a small tmpfs where one can be mounted, else a file size limit
 * on the server process. The chat must keep answering while the log's writes fail, and the
 * admin's /api/health must report the failures (`tracing.logWrites.dropped`, `lastError`).
 */
type LogWrites = { written: number; dropped: number; lastError?: string };

/** Turns until the log's writes have failed and TURNS_AFTER_FAILURE more were answered (bounded), or the server is gone. */
async function turnsOnFullDisk(ctx: ChaosContext, server: ChaosServer, gone: () => boolean, signal: AbortSignal) {
  const turns: TurnResult[] = [];
  let logWrites: LogWrites | undefined;
  let answeredSinceFailure = 0;
  for (let i = 0; i < ctx.options.sizes.fullDiskTurns && answeredSinceFailure < TURNS_AFTER_FAILURE && !signal.aborted && !gone(); i++) {
    const turn = await ctx.turn(server, mixedQuestion(i), undefined, i % 2 === 0 ? "json" : "stream", signal);
    turns.push(turn);
    if (logWrites?.dropped && turn.status === 200) answeredSinceFailure++;
    logWrites = (await getHealth(server.url, ctx.adminToken)).body?.tracing.logWrites ?? logWrites;
  }
  return { turns, logWrites };
}

// signal-exit (loaded by node-llama-cpp and proper-lockfile) listens for SIGXFSZ and re-raises it, so the signal Node ignores kills the process.
const SIGXFSZ_WHY =
  "a write past RLIMIT_FSIZE raised SIGXFSZ, which Node ignores, but a SIGXFSZ listener (signal-exit, loaded by node-llama-cpp and proper-lockfile) re-raises it";

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
    let died: ProcessExit | undefined;
    void server.exited.then((exit) => (died = exit));
    const { turns, logWrites: seen } = await turnsOnFullDisk(ctx, server, () => died !== undefined, signal);
    const lastTrace = turns.findLast((t) => t.traceId)?.traceId;
    const feedback = lastTrace && !died ? await postJson(server.url, "/api/feedback", { traceId: lastTrace, score: 0 }) : undefined;
    const health = await getHealth(server.url, ctx.adminToken);
    const logWrites = health.body?.tracing.logWrites ?? seen;
    const death = died;
    await server.stop();

    const failures: string[] = [];
    if (death) {
      failures.push(
        `the server died (${death.signal ?? `exit code ${String(death.code)}`})${death.signal === "SIGXFSZ" ? `: ${SIGXFSZ_WHY}` : ""}`,
      );
    } else {
      const unanswered = turns.filter((t) => t.status !== 200 || t.errorCode || t.failure);
      if (unanswered.length > 0)
        failures.push(`${unanswered.length} turn(s) not answered: ${formatCounts(countBy(unanswered.map(outcomeKey)))}`);
      if (!logWrites?.dropped)
        failures.push(`/api/health reported no failed trace log writes after ${turns.length} turns (${JSON.stringify(logWrites ?? null)})`);
      if (health.status !== 200) failures.push(`GET /api/health answered ${health.status}`);
    }
    if (feedback && feedback.status >= 500 && feedback.errorCode !== "trace_not_logged")
      failures.push(`feedback answered ${feedback.status} ${feedback.errorCode ?? ""}`);
    const statuses = countBy(turns.map(outcomeKey));
    return {
      figures: {
        method,
        diskBytes: DISK_BYTES,
        turns: turns.length,
        statuses,
        logWrites: logWrites ? { written: logWrites.written, dropped: logWrites.dropped, lastError: logWrites.lastError ?? null } : null,
        feedback: feedback ? `${feedback.status} ${feedback.errorCode ?? ""}`.trim() : null,
        healthAfter: health.status,
        serverDied: death ? (death.signal ?? `exit code ${String(death.code)}`) : null,
      },
      lines: [
        `${method} of ${DISK_BYTES / 1024} KiB: ${turns.length} turns, ${formatCounts(statuses)}${death ? `; the server died (${death.signal ?? String(death.code)})` : ""}`,
        `log writes: ${logWrites ? `${logWrites.written} written, ${logWrites.dropped} dropped` : "not reported"}${logWrites?.lastError ? ` (...${logWrites.lastError.slice(-40)})` : ""}`,
        `feedback on the last trace ${feedback ? `${feedback.status} ${feedback.errorCode ?? ""}` : "-"}; health ${health.status}`,
      ],
      failures,
    };
  },
};
