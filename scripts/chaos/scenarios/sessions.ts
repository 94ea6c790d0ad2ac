import { percentile } from "@/lib/math/percentile";
import { loadConversations } from "@/evals/traffic/load";
import { keyedRandom } from "@/evals/traffic/random";
import type { TurnResult } from "../client";
import type { ChaosContext, ChaosServer } from "../context";
import { MIXED_QUESTIONS } from "../questions";
import { formatRss, pause, rssFigures, sampleRss, toMiB, type Scenario } from "../scenario";
import { formatCounts, formatLatency, formatMs, isAnswered, summarizeTurns, turnFailures } from "../tally";

// A user reads the answer and types the next question: 0.5 to 2 s.
const THINK_MS = [500, 2_000] as const;
// A refused client waits what Retry-After says, up to this long, then asks again (at most RETRIES times).
const RETRY_AFTER_CAP_MS = 10_000;
const RETRIES = 3;
// Bounds every session's loop by count as well as by time.
const MAX_TURNS_PER_SESSION = 2_000;
// Memory the server may gain over the run (every route is warmed before the first reading).
const RSS_GROWTH_LIMIT_PCT = 50;
// Resident memory is read this often, so warm-up (growth that levels off) can be told from a leak (growth that goes on).
const RSS_SAMPLE_MS = 10_000;

/** Conversations (the messages of one session, in order) from the traffic simulator's file: every route, follow-ups included. */
function conversations(): string[][] {
  return loadConversations().personas.flatMap((persona) => persona.sessions.map((session) => session.turns.map((turn) => turn.message)));
}

interface Session {
  ctx: ChaosContext;
  server: ChaosServer;
  endAt: number;
  signal: AbortSignal;
  turns: TurnResult[];
  /** Per question asked: ms from its first try to its answer, refusals and waits between tries included; undefined when it got none. */
  questions: (number | undefined)[];
}

/** One simulated user: conversation after conversation until the time is up, carrying the session id the server issued. */
async function play(index: number, s: Session, pool: string[][]): Promise<void> {
  const random = keyedRandom(s.ctx.options.seed, `chaos-session:${index}`);
  const timeLeft = () => Date.now() < s.endAt && !s.signal.aborted;
  let played = 0;
  while (timeLeft() && played < MAX_TURNS_PER_SESSION) {
    const conversation = pool[Math.floor(random() * pool.length)]!;
    let sessionId: string | undefined;
    for (const message of conversation) {
      if (!timeLeft()) return;
      const mode = random() < 0.5 ? "json" : "stream";
      const askedAt = performance.now();
      let answeredAfter: number | undefined;
      for (let attempt = 0; attempt <= RETRIES && timeLeft(); attempt++) {
        const turn = await s.ctx.turn(s.server, message, sessionId, mode, s.signal);
        if (turn.aborted) return;
        s.turns.push(turn);
        played++;
        sessionId = turn.sessionId ?? sessionId;
        if (isAnswered(turn)) answeredAfter = performance.now() - askedAt;
        if (!(turn.status === 503 || turn.status === 429) || turn.retryAfter === undefined) break;
        await pause(Math.min(Number(turn.retryAfter) * 1000, RETRY_AFTER_CAP_MS, s.endAt - Date.now()), s.signal);
      }
      // A question cut short by the end of the run is no user's experience: left out.
      if (answeredAfter !== undefined || timeLeft()) s.questions.push(answeredAfter);
      await pause(THINK_MS[0] + random() * (THINK_MS[1] - THINK_MS[0]), s.signal);
    }
  }
}

/** What users went through per question: the answered share and the time to an answer, retries included. */
function summarizeQuestions(waits: readonly (number | undefined)[]) {
  const answered = waits.filter((ms): ms is number => ms !== undefined);
  return {
    asked: waits.length,
    answered: answered.length,
    ...(answered.length > 0
      ? { timeToAnswerMs: { p50: percentile(answered, 50), p95: percentile(answered, 95), max: Math.max(...answered) } }
      : {}),
  };
}

export const sessionsScenario: Scenario = {
  name: "sessions",
  describe: (ctx) =>
    `${ctx.options.sizes.sessions} concurrent sessions for ${ctx.options.sizes.sessionMs / 60_000} min (JSON and stream turns on every route)`,
  boundMs: (ctx) => ctx.options.sizes.sessionMs + ctx.turnTimeoutMs + 180_000,
  async run(ctx, signal) {
    const server = await ctx.standardServer();
    // Each route loads its own parts on first use (the sales database, the sandbox, the evidence
    // vectors), so one question per route comes before the first reading.
    for (const question of MIXED_QUESTIONS) await ctx.turn(server, question, undefined, "json", signal);
    const rssStart = server.rss();
    const session: Session = { ctx, server, endAt: Date.now() + ctx.options.sizes.sessionMs, signal, turns: [], questions: [] };
    const pool = conversations();
    const sampler = sampleRss(server, RSS_SAMPLE_MS);
    await Promise.all(Array.from({ length: ctx.options.sizes.sessions }, (_, i) => play(i, session, pool)));
    const curve = sampler.stop();
    const rssEnd = curve.at(-1);
    const rssMid = curve[Math.floor(curve.length / 2)];
    const rss = { ...rssFigures(rssStart, rssEnd), midMiB: toMiB(rssMid), secondHalfGrowthPct: rssFigures(rssMid, rssEnd).growthPct };
    const summary = summarizeTurns(session.turns, ctx.limitMs);
    const questions = summarizeQuestions(session.questions);
    if (summary.latencyMs) ctx.shared.sessionsP50Ms = summary.latencyMs.p50;
    const failures = turnFailures(summary);
    if (summary.answered === 0) failures.push("no turn was answered");
    if (rss.growthPct !== null && rss.growthPct > RSS_GROWTH_LIMIT_PCT) {
      failures.push(`server RSS grew ${rss.growthPct} % (limit ${RSS_GROWTH_LIMIT_PCT} %)`);
    }
    return {
      figures: { sessions: ctx.options.sizes.sessions, minutes: ctx.options.sizes.sessionMs / 60_000, ...summary, questions, rss },
      lines: [
        `${summary.turns} turns, ${summary.answered} answered; latency ${formatLatency(summary.latencyMs)}`,
        `statuses ${formatCounts(summary.statuses)}; 5xx ${summary.fiveXx}`,
        `questions ${questions.asked}, answered ${questions.answered}; from first try to answer ${formatLatency(questions.timeToAnswerMs)}`,
        `429/503 with Retry-After ${summary.refusedWithRetryAfter}, without ${summary.refusedWithoutRetryAfter}`,
        `past the deadline (${formatMs(ctx.limitMs)}) ${summary.overDeadline}; stream errors ${formatCounts(summary.streamErrors)}`,
        `${formatRss(rss)}; at half time ${rss.midMiB ?? "?"} MiB, second half ${rss.secondHalfGrowthPct ?? "?"} %`,
      ],
      failures,
    };
  },
};
