import type { GuardVerdict } from "../../agents/answer/answer-guard";
import { AppAttributes } from "../../lib/telemetry/attributes";
import type { LoggedSpan } from "../../lib/telemetry/trace-log/trace-reader";

/**
 * The answer check's verdicts counted, for `npm run bench:guards`: in the benchmark's own runs,
 * and in a trace log (`--trace-log`, e.g. after `npm run traffic`), where the question is what
 * share of real answers the guard repaired or declined.
 */
export const VERDICTS = ["supported", "repaired", "abstained"] as const satisfies readonly GuardVerdict[];
export type VerdictCounts = Record<GuardVerdict | "unchecked", number>;

const KNOWLEDGE_BASE_ROUTE = "knowledge_base_search";

/** Verdicts as the check reported them; anything else (no check ran) is `unchecked`. */
export function countVerdicts(verdicts: readonly (string | undefined)[]): VerdictCounts {
  const counts: VerdictCounts = { supported: 0, repaired: 0, abstained: 0, unchecked: 0 };
  for (const v of verdicts) counts[VERDICTS.find((known) => known === v) ?? "unchecked"]++;
  return counts;
}

export interface TraceLogVerdicts {
  /** Chat requests (root `chat` spans) that did not end in error. */
  answered: number;
  /**
   * Of those, the knowledge-base answers: routed there and not a scoped reply (small talk,
   * off-topic: `agent.route.scope`, no draft to check), or checked whatever the route said (a
   * plan can end in the knowledge base).
   */
  knowledgeBase: number;
  /** The `answer.guard.verdict` of the knowledge-base answers' `postprocess` spans; `unchecked` counts those without one. */
  verdicts: VerdictCounts;
}

/** Counts per chat trace: its root says whether it was answered and by which route, its postprocess span the verdict. */
export function traceLogVerdicts(spans: readonly LoggedSpan[]): TraceLogVerdicts {
  const byTrace = new Map<string, LoggedSpan[]>();
  for (const span of spans) byTrace.set(span.traceId, [...(byTrace.get(span.traceId) ?? []), span]);
  let answered = 0;
  let knowledgeBase = 0;
  const verdicts: (string | undefined)[] = [];
  for (const trace of byTrace.values()) {
    // "chat": CHAT_SPAN_NAME (agents/graph/run-agent-chat.ts), not imported so this stays free of the agent.
    const root = trace.find((s) => s.parentSpanId === null && s.name === "chat");
    if (!root || root.statusCode === "ERROR") continue;
    answered++;
    const verdict = trace.map((s) => s.attributes[AppAttributes.ANSWER_GUARD_VERDICT]).find((v) => typeof v === "string");
    const scoped = trace.some((s) => typeof s.attributes[AppAttributes.ROUTE_SCOPE] === "string");
    const routed = root.attributes[AppAttributes.AGENT_ROUTE] === KNOWLEDGE_BASE_ROUTE && !scoped;
    if (!routed && verdict === undefined) continue;
    knowledgeBase++;
    verdicts.push(typeof verdict === "string" ? verdict : undefined);
  }
  return { answered, knowledgeBase, verdicts: countVerdicts(verdicts) };
}

/** `n (x.x %)` of a total; a dash when there is nothing to share. */
export function share(n: number, total: number): string {
  return total === 0 ? "–" : `${n} (${((n / total) * 100).toFixed(1)} %)`;
}
