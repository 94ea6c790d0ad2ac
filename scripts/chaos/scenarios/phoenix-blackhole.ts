import { percentile } from "@/lib/math/percentile";
import { startBlackhole } from "../blackhole";
import { getHealth, outcomeKey, postJson, type TurnResult } from "../client";
import type { ChaosContext, ChaosServer } from "../context";
import { mixedQuestion } from "../questions";
import type { Scenario } from "../scenario";
import { countBy, formatCounts, formatMs } from "../tally";

// Latency with the collector black-holed may exceed the normal one by this factor plus this much.
const SLOWDOWN_FACTOR = 1.5;
const SLOWDOWN_SLACK_MS = 1_000;
const FEEDBACK_LIMIT_MS = 5_000;

/** The same questions one after another (nothing queues), timed. */
async function timedTurns(ctx: ChaosContext, server: ChaosServer, signal: AbortSignal): Promise<TurnResult[]> {
  const turns: TurnResult[] = [];
  for (let i = 0; i < ctx.options.sizes.blackholeTurns && !signal.aborted; i++) {
    turns.push(await ctx.turn(server, mixedQuestion(i), undefined, i % 2 === 0 ? "json" : "stream", signal));
  }
  return turns;
}

const p50 = (turns: readonly TurnResult[]) =>
  percentile(
    turns.filter((t) => t.status === 200).map((t) => t.ms),
    50,
  );

/**
 * Phoenix's collector endpoint on a port that accepts TCP and never answers: the same questions
 * on a normal server and on one exporting there must take about as long, every turn must be
 * answered, and feedback (which annotates in Phoenix) must not wait for it.
 */
export const phoenixBlackholeScenario: Scenario = {
  name: "phoenix",
  describe: (ctx) =>
    `${ctx.options.sizes.blackholeTurns} turns with Phoenix export on a port that never answers, against the same on a normal server`,
  boundMs: (ctx) => 2 * ctx.options.sizes.blackholeTurns * ctx.turnTimeoutMs + 300_000,
  async run(ctx, signal) {
    const baseline = await timedTurns(ctx, await ctx.standardServer(), signal);
    const blackhole = await startBlackhole();
    try {
      const server = await ctx.startServer("phoenix-blackhole", {
        env: { PHOENIX_EXPORT: "on", PHOENIX_COLLECTOR_ENDPOINT: `http://127.0.0.1:${blackhole.port}` },
      });
      await ctx.warmUp(server);
      const turns = await timedTurns(ctx, server, signal);
      const traceId = turns.find((t) => t.traceId)?.traceId;
      const feedback = traceId ? await postJson(server.url, "/api/feedback", { traceId, score: 1 }) : undefined;
      const health = await getHealth(server.url, ctx.adminToken);
      await server.stop();
      const [normalMs, blackholedMs] = [p50(baseline), p50(turns)];
      const failures: string[] = [];
      const unanswered = turns.filter((t) => t.status !== 200 || t.errorCode || t.failure);
      if (unanswered.length > 0)
        failures.push(`${unanswered.length} turn(s) not answered: ${formatCounts(countBy(unanswered.map(outcomeKey)))}`);
      if (!(blackholedMs <= normalMs * SLOWDOWN_FACTOR + SLOWDOWN_SLACK_MS)) {
        failures.push(`p50 ${formatMs(blackholedMs)} with the collector black-holed, ${formatMs(normalMs)} without`);
      }
      if (!feedback || feedback.status !== 201 || feedback.ms > FEEDBACK_LIMIT_MS) {
        failures.push(`feedback answered ${feedback ? `${feedback.status} in ${formatMs(feedback.ms)}` : "(no trace to rate)"}`);
      }
      if (health.status !== 200) failures.push(`GET /api/health answered ${health.status}`);
      const phoenix = health.body?.tracing.phoenix;
      return {
        figures: {
          turns: turns.length,
          statuses: countBy(turns.map(outcomeKey)),
          p50Ms: blackholedMs,
          normalP50Ms: normalMs,
          sessionsP50Ms: ctx.shared.sessionsP50Ms ?? null,
          feedback: feedback ? { status: feedback.status, ms: feedback.ms } : null,
          phoenixExport: phoenix ? { exported: phoenix.exported, dropped: phoenix.dropped } : null,
          connectionsAccepted: blackhole.accepted(),
        },
        lines: [
          `p50 ${formatMs(blackholedMs)} black-holed vs ${formatMs(normalMs)} normal (same ${turns.length} questions); sessions p50 ${formatMs(ctx.shared.sessionsP50Ms)}`,
          `turns ${formatCounts(countBy(turns.map(outcomeKey)))}; feedback ${feedback ? `${feedback.status} in ${formatMs(feedback.ms)}` : "-"}`,
          `Phoenix export: ${phoenix ? `${phoenix.exported} exported, ${phoenix.dropped} dropped` : "-"}; ${blackhole.accepted()} connections held`,
        ],
        failures,
      };
    } finally {
      await blackhole.close();
    }
  },
};
