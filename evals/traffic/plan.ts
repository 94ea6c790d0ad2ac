import { ROUTES } from "@/agents/routes/registry";
import { shuffle } from "../seeded-shuffle";
import { keyedRandom } from "./random";
import type { Conversations, Persona, Turn } from "./schema";

/** One session as it will be played. */
export interface PlannedSession {
  persona: Persona;
  /** 1-based position of the session within its persona in the file (stable across runs). */
  number: number;
  /** `<persona>/<number>`: keys the seeded decisions, so they do not depend on play order. */
  key: string;
  /** `traffic-<persona>-<number>-<run id>`: the server keeps the conversation under it. */
  sessionId: string;
  topic: string;
  turns: Turn[];
}

export interface Plan {
  seed: number;
  runId: string;
  /** Sessions in the file. */
  available: number;
  sessions: PlannedSession[];
  turns: number;
}

export interface PlanOptions {
  seed: number;
  runId: string;
  /** Play only this many sessions (default: all). */
  sessions?: number;
}

const RUN_ID = /^[A-Za-z0-9]{1,16}$/;

/** A fresh run id: base-36 milliseconds, so session ids of different runs never collide. */
export function newRunId(now = Date.now()): string {
  return now.toString(36);
}

export function sessionIdFor(personaId: string, number: number, runId: string): string {
  return `traffic-${personaId}-${number}-${runId}`;
}

/**
 * Which sessions to play and in what order, from the seed alone: each persona's sessions are
 * shuffled, the personas are shuffled, and sessions are dealt round-robin across personas, so
 * traffic interleaves users the way real traffic does and `--sessions N` picks N sessions
 * spread over as many personas as possible.
 */
export function planRun(conversations: Conversations, options: PlanOptions): Plan {
  if (!RUN_ID.test(options.runId)) throw new Error(`run id "${options.runId}" must be 1-16 letters or digits`);
  if (options.sessions !== undefined && (!Number.isInteger(options.sessions) || options.sessions < 1)) {
    throw new Error(`--sessions must be a positive integer, got ${options.sessions}`);
  }
  const queues = conversations.personas.map((persona) => {
    const all = persona.sessions.map((session, i) => ({ persona, session, number: i + 1 }));
    return shuffle(all, Math.floor(keyedRandom(options.seed, `plan:${persona.id}`)() * 2 ** 32));
  });
  const order = shuffle(queues, options.seed);
  const dealt: PlannedSession[] = [];
  for (let round = 0; order.some((q) => round < q.length); round++) {
    for (const queue of order) {
      const item = queue[round];
      if (!item) continue;
      dealt.push({
        persona: item.persona,
        number: item.number,
        key: `${item.persona.id}/${item.number}`,
        sessionId: sessionIdFor(item.persona.id, item.number, options.runId),
        topic: item.session.topic,
        turns: item.session.turns,
      });
    }
  }
  const sessions = options.sessions === undefined ? dealt : dealt.slice(0, options.sessions);
  return {
    seed: options.seed,
    runId: options.runId,
    available: dealt.length,
    sessions,
    turns: sessions.reduce((n, s) => n + s.turns.length, 0),
  };
}

/** Turns per intended route, in the canonical route order. */
export function turnsByRoute(sessions: readonly { turns: readonly Turn[] }[]): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(ROUTES.map((r) => [r, 0]));
  for (const s of sessions) for (const t of s.turns) counts[t.route] = (counts[t.route] ?? 0) + 1;
  return counts;
}

/** The plan as text, for `--dry-run`. */
export function formatPlan(plan: Plan): string {
  const lines = [
    `Plan: ${plan.sessions.length} of ${plan.available} sessions, ${plan.turns} turns (seed ${plan.seed}, run ${plan.runId})`,
    `Intended routes: ${Object.entries(turnsByRoute(plan.sessions))
      .map(([route, n]) => `${route} ${n}`)
      .join(", ")}`,
  ];
  plan.sessions.forEach((s, i) => {
    lines.push(`${String(i + 1).padStart(3)}. ${s.sessionId}  ${s.topic} (${s.turns.length} turn${s.turns.length === 1 ? "" : "s"})`);
    for (const t of s.turns) {
      const extra = [t.route, ...t.tags, t.feedback === "never" ? "no feedback" : ""].filter(Boolean).join(", ");
      lines.push(`       > ${t.message}  [${extra}]`);
    }
  });
  return lines.join("\n");
}
