import { ROUTES } from "@/agents/routes/registry";
import type { TurnOutcome } from "./play";

export interface TrafficSummary {
  sessions: number;
  turns: number;
  /** Chat requests that answered. */
  answered: number;
  /** Distinct trace ids returned: the traces this run put in the trace log. */
  traces: number;
  /** Turns per route the agent took (from its route step); "(none)" when it reported none. */
  byRoute: Record<string, number>;
  /** Answered turns whose route was the one the conversation file intended. */
  routeAsIntended: number;
  feedback: { up: number; down: number; failed: number; notGiven: number };
  /** Failed chat requests per error code. */
  chatErrors: Record<string, number>;
  /** Failed feedback posts per error code. */
  feedbackErrors: Record<string, number>;
  seconds: number;
}

const bump = (counts: Record<string, number>, key: string) => (counts[key] = (counts[key] ?? 0) + 1);

export function summarize(outcomes: readonly TurnOutcome[], options: { seconds: number }): TrafficSummary {
  const byRoute: Record<string, number> = Object.fromEntries(ROUTES.map((r) => [r, 0]));
  const chatErrors: Record<string, number> = {};
  const feedbackErrors: Record<string, number> = {};
  const feedback = { up: 0, down: 0, failed: 0, notGiven: 0 };
  const traces = new Set<string>();
  let answered = 0;
  let routeAsIntended = 0;
  for (const o of outcomes) {
    if (!o.chat.ok) {
      bump(chatErrors, o.chat.error.code);
      continue;
    }
    answered++;
    traces.add(o.chat.traceId);
    bump(byRoute, o.chat.route ?? "(none)");
    if (o.chat.route === o.intendedRoute) routeAsIntended++;
    const f = o.feedback;
    if (!f || !f.sent) feedback.notGiven++;
    else if (!f.ok) {
      feedback.failed++;
      bump(feedbackErrors, f.error.code);
    } else if (f.score === 1) feedback.up++;
    else feedback.down++;
  }
  return {
    sessions: new Set(outcomes.map((o) => o.sessionId)).size,
    turns: outcomes.length,
    answered,
    traces: traces.size,
    byRoute,
    routeAsIntended,
    feedback,
    chatErrors,
    feedbackErrors,
    seconds: options.seconds,
  };
}

function counts(record: Record<string, number>): string {
  const entries = Object.entries(record).filter(([, n]) => n > 0);
  return entries.length === 0 ? "none" : entries.map(([k, n]) => `${k} ${n}`).join(", ");
}

export function formatSummary(s: TrafficSummary): string {
  const failed = s.turns - s.answered;
  return [
    "Traffic summary",
    `  sessions          ${s.sessions}`,
    `  turns             ${s.turns} (${s.answered} answered, ${failed} failed) in ${s.seconds.toFixed(1)} s`,
    `  traces produced   ${s.traces}`,
    `  by route          ${counts(s.byRoute)}`,
    `  route as intended ${s.routeAsIntended} of ${s.answered}`,
    `  feedback sent     👍 ${s.feedback.up}  👎 ${s.feedback.down}${s.feedback.failed > 0 ? `  (${s.feedback.failed} failed)` : ""}; ${s.feedback.notGiven} answers not rated`,
    `  chat errors       ${counts(s.chatErrors)}`,
    ...(Object.keys(s.feedbackErrors).length > 0 ? [`  feedback errors   ${counts(s.feedbackErrors)}`] : []),
  ].join("\n");
}

/** 0, or 1 when every chat request failed (an unreachable app is 2, decided before playing). */
export function exitCodeFor(s: TrafficSummary): number {
  return s.turns > 0 && s.answered === 0 ? 1 : 0;
}
