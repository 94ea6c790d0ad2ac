import type { AlertRule } from "./alert-rules";
import { evaluateCondition } from "./conditions";
import { metricDefinition, type MetricKind } from "./metrics";
import { samplesByGroup } from "./request-history";
import type { RequestFacts } from "./request-facts";

/**
 * The deploy verdict: for every alert rule, did its metric move significantly in the direction
 * the rule guards against, from `before` to `after`? It runs the rule's own condition code
 * (conditions.ts) with `before` as the baseline and `after` as the window, per group of the
 * rule's group_by and within its filter. A baseline rule keeps its test, alpha and minimum
 * effect. A threshold rule says which direction is bad; it is compared with the test that fits
 * its metric at `alpha`. Counts and sums measure how long each side ran, not the version.
 */

export type RuleVerdictStatus = "regression" | "warning" | "ok" | "insufficient_data" | "not_compared";

export interface RuleVerdict {
  rule: string;
  metric: string;
  aggregation: string;
  group: string;
  status: RuleVerdictStatus;
  before?: number;
  after?: number;
  pValue?: number;
  detail: string;
}

const TEST_FOR: Record<Exclude<MetricKind, "count">, (aggregation: string) => "two_proportion_z" | "mann_whitney" | "bootstrap"> = {
  proportion: () => "two_proportion_z",
  distribution: (aggregation) => (aggregation === "mean" ? "mann_whitney" : "bootstrap"),
};

/** The rule as a before/after comparison; undefined when its metric is not a property of a version. */
export function asComparisonRule(rule: AlertRule, alpha: number): AlertRule | undefined {
  const metric = metricDefinition(rule.metric);
  if (!metric || metric.kind === "count" || rule.aggregation === "sum") return undefined;
  const { condition } = rule;
  if (condition.type === "baseline") return rule;
  return {
    ...rule,
    condition: {
      type: "baseline",
      baseline: { kind: "previous_period", periods: 1, skip: 0 },
      test: TEST_FOR[metric.kind](rule.aggregation),
      direction: condition.direction === "above" ? "increase" : "decrease",
      alpha,
      warning_alpha: Math.max(alpha, 0.05),
      // A static threshold names no effect size: a 5 % move is the least worth blocking a deploy for.
      min_effect: { relative: 0.05 },
    },
  };
}

export function compareRules(
  rules: readonly AlertRule[],
  before: readonly RequestFacts[],
  after: readonly RequestFacts[],
  alpha: number,
): RuleVerdict[] {
  const verdicts: RuleVerdict[] = [];
  for (const rule of rules) {
    const base = { rule: rule.name, metric: rule.metric, aggregation: rule.aggregation };
    const comparison = asComparisonRule(rule, alpha);
    const metric = metricDefinition(rule.metric);
    if (!comparison || !metric) {
      verdicts.push({ ...base, group: "*", status: "not_compared", detail: "a count or sum depends on how long each side ran" });
      continue;
    }
    const beforeGroups = samplesByGroup(before, metric, rule.group_by, rule.filter);
    const afterGroups = samplesByGroup(after, metric, rule.group_by, rule.filter);
    const keys = [...new Set([...beforeGroups.keys(), ...afterGroups.keys()])].sort();
    if (keys.length === 0) keys.push("*");
    for (const group of keys) {
      const outcome = evaluateCondition(comparison, {
        current: afterGroups.get(group) ?? [],
        baseline: beforeGroups.get(group) ?? [],
        baselineWindows: 1,
      });
      const status: RuleVerdictStatus =
        outcome.state === "missing"
          ? "insufficient_data"
          : outcome.state === "clear"
            ? "ok"
            : outcome.level === "warning"
              ? "warning"
              : "regression";
      verdicts.push({
        ...base,
        group,
        status,
        ...(outcome.baselineValue !== undefined && { before: outcome.baselineValue }),
        ...(outcome.value !== undefined && { after: outcome.value }),
        ...(outcome.pValue !== undefined && { pValue: outcome.pValue }),
        detail: outcome.detail,
      });
    }
  }
  return verdicts;
}
