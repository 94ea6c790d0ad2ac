import type { AlertStateRecord, AlertTransitionRecord } from "../telemetry/trace-log/alert-state-store";
import type { AlertRule } from "./alert-rules";

/**
 * The alert panel of /monitor: each rule of monitoring/alerts.yaml with the state the server's
 * evaluator keeps in the trace log (per group), and the transitions in the window, newest first.
 * A state whose rule left the file is still shown, marked as such: it may still be firing.
 */

export interface AlertGroupState {
  group: string;
  status: AlertStateRecord["status"];
  level: AlertStateRecord["level"];
  sinceMs: number;
  lastEvalMs: number;
  lastValue: number | null;
}

export interface AlertRuleView {
  name: string;
  metric?: string;
  aggregation?: string;
  severity?: AlertRule["severity"];
  runbook?: string;
  description?: string;
  /** The rule is no longer in the rules file. */
  removed: boolean;
  groups: AlertGroupState[];
}

export interface AlertOverview {
  rules: AlertRuleView[];
  history: AlertTransitionRecord[];
  /** Why the rules could not be read (the states are still shown). */
  rulesError?: string;
}

const HISTORY_LIMIT = 200;
const RANK: Record<AlertStateRecord["status"], number> = { firing: 0, pending: 1, resolved: 2, ok: 3 };

export function alertOverview(
  rules: readonly AlertRule[] | { error: string },
  states: readonly AlertStateRecord[],
  transitions: readonly AlertTransitionRecord[],
): AlertOverview {
  const known = Array.isArray(rules) ? (rules as readonly AlertRule[]) : [];
  const groupsOf = (rule: string) =>
    states
      .filter((s) => s.rule === rule)
      .map((s) => ({
        group: s.groupKey,
        status: s.status,
        level: s.level,
        sinceMs: s.sinceMs,
        lastEvalMs: s.lastEvalMs,
        lastValue: s.lastValue,
      }))
      .sort((a, b) => RANK[a.status] - RANK[b.status] || (a.group < b.group ? -1 : 1));
  const views: AlertRuleView[] = known.map((r) => ({
    name: r.name,
    metric: r.metric,
    aggregation: r.aggregation,
    severity: r.severity,
    runbook: r.runbook,
    ...(r.description !== undefined && { description: r.description }),
    removed: false,
    groups: groupsOf(r.name),
  }));
  const names = new Set(known.map((r) => r.name));
  for (const rule of [...new Set(states.map((s) => s.rule))].filter((n) => !names.has(n)).sort()) {
    views.push({ name: rule, removed: true, groups: groupsOf(rule) });
  }
  return {
    rules: views,
    history: [...transitions].sort((a, b) => b.atMs - a.atMs).slice(0, HISTORY_LIMIT),
    ...(!Array.isArray(rules) && { rulesError: (rules as { error: string }).error }),
  };
}
