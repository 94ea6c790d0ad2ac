import fs from "node:fs";
import { getHealth, outcomeKey, type TurnResult } from "../client";
import type { ChaosContext, ChaosServer } from "../context";
import { mixedQuestion } from "../questions";
import { pause, type Scenario } from "../scenario";
import { countBy, formatCounts } from "../tally";
import { checkTraceLog, leftoverFiles } from "../trace-log-check";

const TURNS_PER_SESSION = 50;
// The kill comes once this long has passed and some turns are answered (their spans on the way to the log), with turns in flight.
const KILL_AFTER_MS = 8_000;
const WAIT_FOR_TRAFFIC_MS = 90_000;
const REFUSED_PAUSE_MS = 1_000;

interface Traffic {
  turns: TurnResult[];
  inFlight: number;
  stop: AbortController;
  done: Promise<void[]>;
}

function startTraffic(ctx: ChaosContext, server: ChaosServer): Traffic {
  const traffic: Traffic = { turns: [], inFlight: 0, stop: new AbortController(), done: Promise.resolve([]) };
  const session = async (index: number) => {
    let sessionId: string | undefined;
    for (let n = 0; n < TURNS_PER_SESSION && !traffic.stop.signal.aborted; n++) {
      traffic.inFlight++;
      const turn = await ctx.turn(server, mixedQuestion(index + n), sessionId, n % 2 === 0 ? "stream" : "json", traffic.stop.signal);
      traffic.inFlight--;
      if (!traffic.stop.signal.aborted) traffic.turns.push(turn);
      sessionId = turn.sessionId ?? sessionId;
      // A refused session waits a little (not the whole Retry-After: the kill needs turns in
      // flight), instead of spending its turns on refusals in a few seconds.
      if (turn.retryAfter !== undefined) await pause(REFUSED_PAUSE_MS, traffic.stop.signal);
    }
  };
  traffic.done = Promise.all(Array.from({ length: ctx.options.sizes.killSessions }, (_, i) => session(i)));
  return traffic;
}

/** Waits until turns have been answered and others are in flight (bounded), then kills the server with SIGKILL. */
async function killMidTraffic(server: ChaosServer, traffic: Traffic, signal: AbortSignal): Promise<{ answered: number; inFlight: number }> {
  const started = Date.now();
  const answered = () => traffic.turns.filter((t) => t.status === 200).length;
  while (Date.now() - started < WAIT_FOR_TRAFFIC_MS && !signal.aborted) {
    if (Date.now() - started >= KILL_AFTER_MS && answered() > 0 && traffic.inFlight > 0) break;
    await pause(100, signal);
  }
  const at = { answered: answered(), inFlight: traffic.inFlight };
  process.kill(server.pid, "SIGKILL");
  await server.exited;
  traffic.stop.abort();
  await traffic.done;
  return at;
}

/**
 * Traffic, then `kill -9` of the server mid-turn, then a restart on the same trace log: the
 * restarted server must be healthy and answer, SQLite must find the log intact, and nothing
 * half-written (temporary files, locks, journals) may be left in the data folders.
 */
export const kill9Scenario: Scenario = {
  name: "kill9",
  describe: (ctx) => `${ctx.options.sizes.killSessions} sessions, kill -9 of the server mid-turn, restart on the same trace log`,
  boundMs: (ctx) => WAIT_FOR_TRAFFIC_MS + 2 * ctx.turnTimeoutMs + 300_000,
  async run(ctx, signal) {
    const server = await ctx.startServer("kill9");
    await ctx.warmUp(server);
    const traffic = startTraffic(ctx, server);
    const atKill = await killMidTraffic(server, traffic, signal);
    const filesAfterKill = fs.readdirSync(server.dataDir).filter((name) => name.startsWith("traces.sqlite"));

    const restarted = await ctx.startServer("kill9-restart", { dataDir: server.dataDir });
    const health = await getHealth(restarted.url);
    const turn = await ctx.turn(restarted, mixedQuestion(0), undefined, "json", signal);
    await restarted.stop();
    const log = checkTraceLog(server.traceLog);
    const leftovers = leftoverFiles([server.dataDir, ctx.config.indexDir]);

    const failures: string[] = [];
    if (atKill.inFlight === 0) failures.push("no turn was in flight when the server was killed");
    if (health.status !== 200) failures.push(`the restarted server's /api/health answered ${health.status}`);
    if (turn.status !== 200 || turn.errorCode || turn.failure)
      failures.push(`a turn on the restarted server ended ${outcomeKey(turn)} ${turn.errorCode ?? ""}`.trim());
    if (log.integrity !== "ok") failures.push(`PRAGMA integrity_check: ${log.integrity}`);
    if (leftovers.length > 0) failures.push(`left behind: ${leftovers.join(", ")}`);
    return {
      figures: {
        answeredBeforeKill: atKill.answered,
        inFlightAtKill: atKill.inFlight,
        trafficStatuses: countBy(traffic.turns.map(outcomeKey)),
        filesAfterKill,
        restartHealth: health.status,
        turnAfterRestart: outcomeKey(turn),
        integrity: log.integrity,
        tracesInLog: log.traces,
        tempFiles: leftovers.length,
        leftovers,
      },
      lines: [
        `killed with ${atKill.inFlight} turn(s) in flight, ${atKill.answered} answered before; traffic ${formatCounts(countBy(traffic.turns.map(outcomeKey)))}`,
        `after the kill: ${filesAfterKill.join(", ")}; restart health ${health.status}, a turn ${outcomeKey(turn)}`,
        `integrity_check ${log.integrity}; ${log.traces} traces in the log; temp files left ${leftovers.length}`,
      ],
      failures,
    };
  },
};
