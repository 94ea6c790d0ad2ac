import type { AlertRule } from "./alert-rules";
import { compareMetrics, type MetricComparison } from "./compare-metrics";
import { routeMixShift, type RouteMixShift } from "./compare-routes";
import { compareRules, type RuleVerdict } from "./compare-rules";
import { changedTraces, type ChangedTrace } from "./compare-traces";
import type { RequestFacts } from "./request-facts";

/**
 * `npm run compare`: production requests before and after a change (a version or a time range),
 * metric by metric, the route mix, the traces that moved most, and the verdict a deploy
 * pipeline acts on: a regression when an alert rule's metric moved significantly the wrong way.
 * Eval runs trace through the same agent; they are left out here (`source` is production).
 */

export interface ComparedSide {
  label: string;
  requests: number;
  fromMs?: number;
  toMs?: number;
}

export interface VersionComparison {
  before: ComparedSide;
  after: ComparedSide;
  alpha: number;
  metrics: MetricComparison[];
  routes: RouteMixShift;
  rules: RuleVerdict[];
  changed: ChangedTrace[];
  /** Some rule's metric moved significantly in the direction it guards against. */
  regression: boolean;
}

function side(label: string, requests: readonly RequestFacts[]): ComparedSide {
  if (requests.length === 0) return { label, requests: 0 };
  const starts = requests.map((r) => r.startMs);
  return { label, requests: requests.length, fromMs: Math.min(...starts), toMs: Math.max(...starts) };
}

export function compareVersions(
  before: { label: string; requests: readonly RequestFacts[] },
  after: { label: string; requests: readonly RequestFacts[] },
  rules: readonly AlertRule[],
  options: { alpha: number },
): VersionComparison {
  const production = (requests: readonly RequestFacts[]) => requests.filter((r) => r.groups.source === "production");
  const b = production(before.requests);
  const a = production(after.requests);
  const extra = rules.map((r) => [r.metric, r.aggregation] as const);
  const verdicts = compareRules(rules, b, a, options.alpha);
  return {
    before: side(before.label, b),
    after: side(after.label, a),
    alpha: options.alpha,
    metrics: compareMetrics(b, a, { alpha: options.alpha, extra }),
    routes: routeMixShift(b, a, options.alpha),
    rules: verdicts,
    changed: changedTraces(b, a),
    regression: verdicts.some((v) => v.status === "regression"),
  };
}
