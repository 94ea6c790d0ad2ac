import type { AlertStateRecord } from "../telemetry/trace-log/alert-state-store";
import { evaluateRule, type AlertTransition } from "./alert-evaluator";
import type { AlertRule } from "./alert-rules";
import type { ConditionOutcome } from "./conditions";
import type { RequestHistory } from "./request-history";
import { ruleWindowSamples } from "./rule-windows";

/**
 * A rule replayed over history window by window, from no state, exactly as the server would
 * have evaluated it: windows end on multiples of the rule's window (epoch-aligned, the same
 * ends the server's schedule uses), so a backtest and production agree on every window.
 */

export interface RuleReplay {
  rule: AlertRule;
  windows: number;
  transitions: AlertTransition[];
  /** The state of each group after the last window. */
  states: AlertStateRecord[];
  /** The last window's outcome per group. */
  lastOutcomes: Map<string, ConditionOutcome>;
}

/** The latest window end at or before `atMs`. */
export function windowEndAtOrBefore(windowMs: number, atMs: number): number {
  return Math.floor(atMs / windowMs) * windowMs;
}

/** Ends of the whole windows inside [since, until]. */
export function windowEnds(windowMs: number, since: number, until: number): number[] {
  const ends: number[] = [];
  for (let end = Math.ceil((since + windowMs) / windowMs) * windowMs; end <= until; end += windowMs) ends.push(end);
  return ends;
}

export function replayRule(rule: AlertRule, history: RequestHistory, since: number, until: number): RuleReplay {
  let states = new Map<string, AlertStateRecord>();
  const transitions: AlertTransition[] = [];
  let lastOutcomes = new Map<string, ConditionOutcome>();
  const ends = windowEnds(rule.window, since, until);
  for (const end of ends) {
    const result = evaluateRule(rule, states, ruleWindowSamples(rule, history, end), end);
    states = new Map(result.states.map((s) => [s.groupKey, s]));
    transitions.push(...result.transitions);
    lastOutcomes = result.outcomes;
  }
  return { rule, windows: ends.length, transitions, states: [...states.values()], lastOutcomes };
}
