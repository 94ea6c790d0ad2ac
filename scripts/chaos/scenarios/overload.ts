import type { Scenario } from "../scenario";
import { formatCounts, formatLatency, formatMs, summarizeTurns, turnFailures } from "../tally";

// A question that needs the model (seconds), so the burst arrives while every slot is taken.
const QUESTION = "What is ACME's policy on returning opened products?";

/**
 * A burst of twice what the admission gate takes (CHAT_MAX_CONCURRENT answering plus
 * CHAT_MAX_QUEUE waiting), all at once: the excess must be refused at once with 429/503 and
 * Retry-After, and nobody may wait past the queue timeout plus the turn deadline.
 */
export const overloadScenario: Scenario = {
  name: "overload",
  describe: (ctx) => `a burst of ${2 * ctx.capacity} turns at once, twice the capacity of ${ctx.capacity}`,
  boundMs: (ctx) => ctx.turnTimeoutMs + 60_000,
  async run(ctx, signal) {
    const server = await ctx.standardServer();
    const burst = 2 * ctx.capacity;
    const turns = await Promise.all(
      Array.from({ length: burst }, (_, i) => ctx.turn(server, QUESTION, undefined, i % 2 === 0 ? "json" : "stream", signal)),
    );
    const summary = summarizeTurns(turns, ctx.limitMs);
    const refused = summary.refusedWithRetryAfter + summary.refusedWithoutRetryAfter;
    const refusalMs = turns.filter((t) => t.status === 503 || t.status === 429).map((t) => t.ms);
    const slowestRefusalMs = refusalMs.length > 0 ? Math.max(...refusalMs) : null;
    const failures = turnFailures(summary);
    if (refused < burst - ctx.capacity)
      failures.push(`only ${refused} of ${burst} refused: the gate let more than its capacity of ${ctx.capacity} in`);
    if (summary.answered === 0) failures.push("no turn of the burst was answered");
    return {
      figures: { burst, capacity: ctx.capacity, refused, slowestRefusalMs, ...summary },
      lines: [
        `${burst} at once against capacity ${ctx.capacity}: ${summary.answered} answered, ${refused} refused (the slowest refusal in ${formatMs(slowestRefusalMs ?? undefined)})`,
        `429/503 with Retry-After ${summary.refusedWithRetryAfter}, without ${summary.refusedWithoutRetryAfter}`,
        `statuses ${formatCounts(summary.statuses)}; latency ${formatLatency(summary.latencyMs)}`,
        `past the deadline (${formatMs(ctx.limitMs)}) ${summary.overDeadline}`,
      ],
      failures,
    };
  },
};
