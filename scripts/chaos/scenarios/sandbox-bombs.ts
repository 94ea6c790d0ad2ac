import { childPids } from "@/lib/process/proc-status";
import { getHealth, outcomeKey, type TurnResult } from "../client";
import type { ChaosContext, ChaosServer } from "../context";
import { formatRss, rssFigures, sampleRss, toMiB, type Scenario } from "../scenario";
import { countBy, formatCounts, summarizeTurns, turnFailures } from "../tally";

/** Programs that attack the sandbox's limits: time, memory, output, stack. */
const BOMBS: readonly [string, string][] = [
  ["infinite loop", "while (true) {}"],
  ["memory bomb", "const a = []; for (;;) a.push(new Array(1e6).fill(1));"],
  ["string doubling", 'let s = "x"; for (;;) s += s;'],
  ["huge output", 'for (let i = 0; i < 1e7; i++) console.log("x".repeat(1000));'],
  ["deep recursion", "function f(n) { return f(n + 1) + 1; } f(0);"],
  ["object flood", "const m = new Map(); for (let i = 0; ; i++) m.set(i, { i, s: String(i).repeat(50) });"],
  ["typed array", "const views = []; for (;;) views.push(new Float64Array(1 << 24));"],
  ["microtask spin", "(async () => { for (;;) await null; })(); while (true) {}"],
];
// What the server's memory may gain at its peak and keep afterwards (the sandbox allows ~32 MB per run).
const PEAK_GROWTH_LIMIT_BYTES = 768 * 1024 * 1024;
const END_GROWTH_LIMIT_BYTES = 256 * 1024 * 1024;
const SAMPLE_MS = 200;

const message = (code: string) => `Run this code:\n\`\`\`js\n${code}\n\`\`\``;

/** Whether the sandbox stopped the program (a limit, or the error it threw, as the tool's error code in its output). */
const contained = (turn: TurnResult) => turn.toolOutputs.some((o) => o.tool === "run_code" && /"code":"tool_[a-z_]+"/.test(o.output));

async function bombard(ctx: ChaosContext, server: ChaosServer, signal: AbortSignal): Promise<{ turns: TurnResult[]; kinds: string[] }> {
  const total = ctx.options.sizes.sandboxBombs;
  const turns: TurnResult[] = [];
  const kinds: string[] = [];
  for (let first = 0; first < total && !signal.aborted; first += ctx.capacity) {
    const wave = Array.from({ length: Math.min(ctx.capacity, total - first) }, (_, i) => BOMBS[(first + i) % BOMBS.length]!);
    kinds.push(...wave.map(([kind]) => kind));
    turns.push(
      ...(await Promise.all(
        wave.map(([, code], i) => ctx.turn(server, message(code), undefined, i % 2 === 0 ? "json" : "stream", signal)),
      )),
    );
  }
  return { turns, kinds };
}

/**
 * Hostile programs pasted into the chat, a gate's worth at a time, so the agent runs them in
 * the sandbox concurrently: each must be stopped at a limit, every turn answered (or refused
 * with Retry-After), the server healthy afterwards with bounded memory and no stray processes.
 */
export const sandboxBombsScenario: Scenario = {
  name: "sandbox",
  describe: (ctx) =>
    `${ctx.options.sizes.sandboxBombs} hostile programs (${BOMBS.map(([kind]) => kind).join(", ")}), ${ctx.capacity} at a time`,
  boundMs: (ctx) => Math.ceil(ctx.options.sizes.sandboxBombs / ctx.capacity) * ctx.turnTimeoutMs + 120_000,
  async run(ctx, signal) {
    const server = await ctx.standardServer();
    const rssStart = server.rss();
    const childrenBefore = childPids(server.pid)?.length;
    const sampler = sampleRss(server, SAMPLE_MS);
    const { turns, kinds } = await bombard(ctx, server, signal);
    const readings = sampler.stop();
    const peak = readings.length > 0 ? Math.max(...readings) : undefined;
    const health = await getHealth(server.url);
    const normal = await ctx.turn(server, "How long do I have to return a product?", undefined, "json", signal);
    const rssEnd = server.rss();
    const childrenAfter = childPids(server.pid)?.length;
    const summary = summarizeTurns(turns, ctx.limitMs);
    const stopped = turns.filter(contained).length;
    const notStopped = countBy(kinds.filter((_, i) => turns[i]?.status === 200 && !contained(turns[i])));
    const failures = turnFailures(summary);
    if (stopped === 0 || stopped < summary.answered / 2)
      failures.push(`only ${stopped} of ${summary.answered} answered turns show the sandbox stopping the program`);
    if (health.status !== 200) failures.push(`GET /api/health answered ${health.status} afterwards`);
    if (normal.status !== 200 || normal.errorCode || normal.failure) failures.push(`a normal turn afterwards ended ${outcomeKey(normal)}`);
    if (rssStart && peak && peak - rssStart > PEAK_GROWTH_LIMIT_BYTES)
      failures.push(`RSS peaked ${Math.round((peak - rssStart) / 1048576)} MiB above the start`);
    if (rssStart && rssEnd && rssEnd - rssStart > END_GROWTH_LIMIT_BYTES)
      failures.push(`RSS stayed ${Math.round((rssEnd - rssStart) / 1048576)} MiB above the start`);
    if (childrenBefore !== undefined && childrenAfter !== undefined && childrenAfter > childrenBefore)
      failures.push(`${childrenAfter - childrenBefore} child process(es) left running`);
    const rss = { ...rssFigures(rssStart, rssEnd), peakMiB: toMiB(peak) };
    return {
      figures: {
        bombs: turns.length,
        stoppedBySandbox: stopped,
        notStopped,
        ...summary,
        healthAfter: health.status,
        normalTurnAfter: outcomeKey(normal),
        rss,
        childrenBefore: childrenBefore ?? null,
        childrenAfter: childrenAfter ?? null,
      },
      lines: [
        `${turns.length} programs: ${formatCounts(summary.statuses)}; stopped by the sandbox ${stopped}`,
        `not stopped (the agent did something else): ${formatCounts(notStopped)}`,
        `${formatRss(rss)}, peak ${rss.peakMiB ?? "?"} MiB; child processes ${String(childrenBefore)} -> ${String(childrenAfter)}`,
        `health afterwards ${health.status}; a normal turn ${outcomeKey(normal)}`,
      ],
      failures,
    };
  },
};
