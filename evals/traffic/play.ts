import type { RequestError, TrafficClient } from "./client";
import { decideFeedback, type FeedbackDecision } from "./feedback";
import type { PlannedSession } from "./plan";
import type { RouteName } from "@/agents/routes/registry";

/** What happened on one turn: the chat request, and the feedback if the persona gave any. */
export interface TurnOutcome {
  sessionId: string;
  personaId: string;
  /** `<persona>/<session number>#<turn index>` */
  key: string;
  message: string;
  intendedRoute: RouteName;
  ms: number;
  chat: { ok: true; traceId: string; route?: string; answer: string } | { ok: false; error: RequestError };
  /** Absent when the chat request failed. */
  feedback?: FeedbackOutcome;
}

export type FeedbackOutcome =
  | { sent: false; reason: Extract<FeedbackDecision, { send: false }>["reason"] }
  | { sent: true; score: 0 | 1; comment?: string; ok: true }
  | { sent: true; score: 0 | 1; comment?: string; ok: false; error: RequestError };

export interface PlayOptions {
  client: TrafficClient;
  seed: number;
  /** Overrides every persona's feedback rate. */
  feedbackRate?: number;
  /** Called after each turn (progress). */
  onTurn?: (outcome: TurnOutcome) => void;
  /** Checked before each turn: true stops the session (Ctrl-C). */
  stopped?: () => boolean;
}

/**
 * Plays one session the way a user types it: turns in order, one at a time, all under the
 * session's id so the server keeps the conversation. A failed request is recorded and the
 * session goes on with its next turn, as a user would retype.
 */
export async function playSession(session: PlannedSession, options: PlayOptions): Promise<TurnOutcome[]> {
  const outcomes: TurnOutcome[] = [];
  // The server issues the session with the first answer; the planned id only labels the report.
  let serverSession: string | undefined;
  for (const [index, turn] of session.turns.entries()) {
    if (options.stopped?.()) break;
    const key = `${session.key}#${index}`;
    const started = performance.now();
    const reply = await options.client.chat(turn.message, serverSession);
    const ms = performance.now() - started;
    const base = { sessionId: session.sessionId, personaId: session.persona.id, key, message: turn.message, intendedRoute: turn.route, ms };
    let outcome: TurnOutcome;
    if (!reply.ok) {
      outcome = { ...base, chat: { ok: false, error: reply.error } };
    } else {
      const { traceId, route, answer } = reply.value;
      serverSession = reply.value.sessionId;
      const decision = decideFeedback({
        turn,
        answer,
        habit: session.persona.feedback,
        seed: options.seed,
        key,
        ...(options.feedbackRate !== undefined ? { rate: options.feedbackRate } : {}),
      });
      let feedback: FeedbackOutcome;
      if (!decision.send) {
        feedback = { sent: false, reason: decision.reason };
      } else {
        const sent = await options.client.feedback(traceId, decision.score, decision.comment);
        const given = { sent: true as const, score: decision.score, ...(decision.comment ? { comment: decision.comment } : {}) };
        feedback = sent.ok ? { ...given, ok: true } : { ...given, ok: false, error: sent.error };
      }
      outcome = { ...base, chat: { ok: true, traceId, answer, ...(route ? { route } : {}) }, feedback };
    }
    outcomes.push(outcome);
    options.onTurn?.(outcome);
  }
  return outcomes;
}
