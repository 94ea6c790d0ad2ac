import { keyedRandom } from "@/evals/traffic/random";
import { chatTurn, getHealth, outcomeKey, type TurnResult } from "../client";
import type { ChaosContext, ChaosServer } from "../context";
import { mixedQuestion } from "../questions";
import { formatRss, pause, rssFigures, type Scenario } from "../scenario";
import { countBy, formatCounts, formatMs } from "../tally";

// A stream is cut 0.2 to 2.7 s after its first event; one still waiting for a slot after 4 s is cut there.
const CUT_AFTER_FIRST_EVENT_MS = [200, 2_700] as const;
const CUT_WAITING_MS = 4_000;
// How long the server may take to notice every client is gone and free the slots.
const SETTLE_MS = 30_000;

type Cut = "mid-stream" | "before the first event" | "not cut (finished first)";

/** One streamed turn the client walks away from: mid-answer, or while it still waits for a slot. */
async function cutShort(
  ctx: ChaosContext,
  server: ChaosServer,
  index: number,
  signal: AbortSignal,
): Promise<{ cut: Cut; turn: TurnResult }> {
  const random = keyedRandom(ctx.options.seed, `disconnect:${index}`);
  const controller = new AbortController();
  const stop = () => controller.abort();
  const timers = [setTimeout(stop, CUT_WAITING_MS)];
  const cutAfter = CUT_AFTER_FIRST_EVENT_MS[0] + random() * (CUT_AFTER_FIRST_EVENT_MS[1] - CUT_AFTER_FIRST_EVENT_MS[0]);
  const turn = await chatTurn(server.url, mixedQuestion(index), undefined, "stream", {
    timeoutMs: ctx.turnTimeoutMs,
    signal: AbortSignal.any([controller.signal, signal]),
    onEvent: (_event, count) => {
      if (count !== 1) return;
      clearTimeout(timers[0]);
      timers.push(setTimeout(stop, cutAfter));
    },
  });
  timers.forEach(clearTimeout);
  const cut: Cut = !turn.aborted ? "not cut (finished first)" : turn.events > 0 ? "mid-stream" : "before the first event";
  return { cut, turn };
}

/** Polls the detailed health until no turn runs or waits; how long that took, or undefined when it never did. */
async function settle(ctx: ChaosContext, server: ChaosServer): Promise<{ ms?: number; load?: { running: number; queued: number } }> {
  const started = performance.now();
  let load: { running: number; queued: number } | undefined;
  for (let poll = 0; poll < SETTLE_MS / 250; poll++) {
    load = (await getHealth(server.url, ctx.adminToken)).body?.load;
    if (load && load.running === 0 && load.queued === 0) return { ms: performance.now() - started, load };
    await pause(250);
  }
  return load ? { load } : {};
}

/**
 * Streamed turns cut off by the client mid-answer (and some while they wait for a slot), in
 * waves the size of the gate: afterwards the server must be healthy, hand every slot back
 * (the gate's load in /api/health returns to 0) and answer a normal turn.
 */
export const disconnectScenario: Scenario = {
  name: "disconnect",
  describe: (ctx) => `${ctx.options.sizes.disconnects} streamed turns cut off by the client, ${ctx.capacity} at a time`,
  boundMs: (ctx) => ctx.options.sizes.disconnects * 10_000 + ctx.turnTimeoutMs + SETTLE_MS,
  async run(ctx, signal) {
    const server = await ctx.standardServer();
    const rssStart = server.rss();
    const total = ctx.options.sizes.disconnects;
    const results: { cut: Cut; turn: TurnResult }[] = [];
    for (let first = 0; first < total && !signal.aborted; first += ctx.capacity) {
      const wave = Array.from({ length: Math.min(ctx.capacity, total - first) }, (_, i) => cutShort(ctx, server, first + i, signal));
      results.push(...(await Promise.all(wave)));
    }
    const settled = await settle(ctx, server);
    const health = await getHealth(server.url);
    const normal = await ctx.turn(server, "How long do I have to return a product?", undefined, "stream", signal);
    const rss = rssFigures(rssStart, server.rss());
    const cuts = countBy(results.map((r) => r.cut));
    const finished = countBy(results.filter((r) => !r.turn.aborted).map((r) => outcomeKey(r.turn)));
    const failures: string[] = [];
    if (settled.ms === undefined)
      failures.push(
        `the gate's load did not return to 0 within ${SETTLE_MS / 1000} s: ${JSON.stringify(settled.load ?? "no load in /api/health")}`,
      );
    if (health.status !== 200) failures.push(`GET /api/health answered ${health.status} afterwards`);
    if (normal.status !== 200 || normal.errorCode || normal.failure)
      failures.push(`a normal turn afterwards ended ${outcomeKey(normal)} ${normal.errorCode ?? ""}`.trim());
    if (!cuts["mid-stream"]) failures.push("no stream was cut mid-answer (the scenario proved nothing)");
    const serverErrors = results.filter((r) => (r.turn.status ?? 0) >= 500 && r.turn.status !== 503);
    if (serverErrors.length > 0) failures.push(`${serverErrors.length} 5xx other than 503`);
    return {
      figures: {
        requests: total,
        cuts,
        finished,
        loadZeroAfterMs: settled.ms ?? null,
        healthAfter: health.status,
        normalTurnAfter: outcomeKey(normal),
        rss,
      },
      lines: [
        `${total} streams: ${formatCounts(cuts)}`,
        `of those not cut: ${formatCounts(finished)}`,
        `gate load back to 0 ${settled.ms === undefined ? "never" : `after ${formatMs(settled.ms)}`}; health ${health.status}; a normal turn ${outcomeKey(normal)}`,
        formatRss(rss),
      ],
      failures,
    };
  },
};
