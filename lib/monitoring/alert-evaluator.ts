import type { AlertStateRecord, AlertTransitionRecord } from "../telemetry/trace-log/alert-state-store";
import type { AlertRule } from "./alert-rules";
import { evaluateCondition, type AlertLevel, type ConditionOutcome } from "./conditions";
import type { WindowSamples } from "./rule-windows";

/**
 * The alert state machine, pure: a rule, the state each group was in, and one window's samples
 * in; the new states and the transitions out. Per rule and group:
 *
 *   ok/resolved ──breach──▶ pending ──breach for sustained_windows──▶ firing ──clear──▶ resolved
 *        ▲                     │                                        │ (escalated: warning → alert;
 *        └────────clear────────┘                                        │  renotify: every `renotify`)
 *
 * A window with no data or fewer than min_samples follows `missing_data`: `ok` counts it as
 * clear, `alert` as a breach at the alert level, `keep` leaves the state as it is. A firing
 * waits (stays pending) while the last notification is younger than `cooldown`. A window is
 * evaluated once: a state already past `atMs` is returned unchanged, so a replay or a second
 * process cannot count a window twice.
 */

export interface AlertTransition extends AlertTransitionRecord {
  severity: AlertRule["severity"];
  runbook: string;
  n: number;
  baselineValue?: number;
}

export interface RuleEvaluation {
  states: AlertStateRecord[];
  /** Every change of state; those with `notify` are what a notifier sends (firing, resolved, escalated, renotify). */
  transitions: AlertTransition[];
  /** The outcome of this window per group (for reports). */
  outcomes: Map<string, ConditionOutcome>;
}

/** The state of a group never seen before. */
export function initialState(rule: string, groupKey: string, atMs: number): AlertStateRecord {
  return {
    rule,
    groupKey,
    status: "ok",
    level: null,
    sinceMs: atMs,
    breachWindows: 0,
    lastEvalMs: Number.NEGATIVE_INFINITY,
    lastNotifiedMs: null,
    lastValue: null,
    version: 0,
  };
}

type Verdict = { kind: "breach"; level: AlertLevel } | { kind: "clear" } | { kind: "keep" };

function verdictOf(rule: AlertRule, outcome: ConditionOutcome): Verdict {
  if (outcome.state === "breach") return { kind: "breach", level: outcome.level ?? "alert" };
  if (outcome.state === "clear") return { kind: "clear" };
  if (rule.missing_data === "alert") return { kind: "breach", level: "alert" };
  return rule.missing_data === "keep" ? { kind: "keep" } : { kind: "clear" };
}

function step(
  rule: AlertRule,
  prev: AlertStateRecord,
  outcome: ConditionOutcome,
  atMs: number,
): { next: AlertStateRecord; transition?: AlertTransition } {
  const verdict = verdictOf(rule, outcome);
  const base = { ...prev, lastEvalMs: atMs, lastValue: outcome.value ?? prev.lastValue };
  const move = (next: AlertStateRecord, kind: AlertTransitionRecord["kind"], notify: boolean) => {
    const transition: AlertTransition = {
      rule: rule.name,
      groupKey: prev.groupKey,
      from: prev.status,
      to: next.status,
      kind,
      level: next.level,
      atMs,
      value: outcome.value ?? null,
      detail: outcome.detail,
      notify,
      severity: rule.severity,
      runbook: rule.runbook,
      n: outcome.n,
      ...(outcome.baselineValue !== undefined && { baselineValue: outcome.baselineValue }),
    };
    return { next: notify ? { ...next, lastNotifiedMs: atMs } : next, transition };
  };
  if (verdict.kind === "keep") return { next: base };
  if (verdict.kind === "clear") {
    const cleared = { ...base, level: null, breachWindows: 0, sinceMs: atMs };
    if (prev.status === "firing") return move({ ...cleared, status: "resolved" }, "status", true);
    if (prev.status === "pending") return move({ ...cleared, status: "ok" }, "status", false);
    return { next: { ...base, breachWindows: 0 } };
  }
  const breachWindows = prev.breachWindows + 1;
  if (prev.status === "firing") {
    if (prev.level === "warning" && verdict.level === "alert") return move({ ...base, breachWindows, level: "alert" }, "escalated", true);
    const due = rule.renotify !== undefined && prev.lastNotifiedMs !== null && atMs - prev.lastNotifiedMs >= rule.renotify;
    return due ? move({ ...base, breachWindows }, "renotify", true) : { next: { ...base, breachWindows } };
  }
  const cooledDown = prev.lastNotifiedMs === null || atMs - prev.lastNotifiedMs >= rule.cooldown;
  if (breachWindows >= rule.sustained_windows && cooledDown) {
    return move({ ...base, status: "firing", level: verdict.level, breachWindows, sinceMs: atMs }, "status", true);
  }
  if (prev.status !== "pending")
    return move({ ...base, status: "pending", level: verdict.level, breachWindows, sinceMs: atMs }, "status", false);
  return { next: { ...base, breachWindows, level: verdict.level } };
}

/** Evaluates `rule` for the window ending at `atMs`. */
export function evaluateRule(
  rule: AlertRule,
  previous: ReadonlyMap<string, AlertStateRecord>,
  samples: ReadonlyMap<string, WindowSamples>,
  atMs: number,
): RuleEvaluation {
  const keys = new Set([...previous.keys(), ...samples.keys()]);
  // Ungrouped rules always have their one group, so an empty window is missing data, not nothing.
  if (rule.group_by.length === 0) keys.add("*");
  const states: AlertStateRecord[] = [];
  const transitions: AlertTransition[] = [];
  const outcomes = new Map<string, ConditionOutcome>();
  for (const key of [...keys].sort()) {
    const prev = previous.get(key) ?? initialState(rule.name, key, atMs);
    if (prev.lastEvalMs >= atMs) {
      states.push(prev);
      continue;
    }
    const outcome = evaluateCondition(rule, samples.get(key));
    outcomes.set(key, outcome);
    const { next, transition } = step(rule, prev, outcome, atMs);
    states.push(next);
    if (transition) transitions.push(transition);
  }
  return { states, transitions, outcomes };
}
