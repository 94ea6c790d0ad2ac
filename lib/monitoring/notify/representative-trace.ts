import { aggregate, metricDefinition } from "../metrics";
import type { RequestFacts } from "../request-facts";
import { groupKey, matchesFilter } from "../request-history";
import type { AlertNotice } from "./alert-notice";

/**
 * The trace a person should open first for a transition: a request of the window and group
 * that shows what the rule measured. A proportion: a request on the offending side (an error,
 * a 👎 for a rule watching increases) while firing, one on the other side once resolved. A distribution: the request whose sample sits
 * closest to the window's value (the p95 request of a p95 rule). A count: the latest request.
 * `requests` are the window's, oldest first.
 */
export function representativeTrace(notice: AlertNotice, requests: readonly RequestFacts[]): RequestFacts | undefined {
  const { rule, transition } = notice;
  const metric = rule && metricDefinition(rule.metric);
  if (!rule || !metric) return requests.at(-1);
  const inGroup = requests.filter((f) => matchesFilter(f, rule.filter) && groupKey(f, rule.group_by) === transition.groupKey);
  const withSamples = inGroup.map((facts) => ({ facts, samples: metric.samples(facts) })).filter((r) => r.samples.length > 0);
  if (withSamples.length === 0) return inGroup.at(-1);
  if (metric.kind === "count") return withSamples.at(-1)?.facts;
  if (metric.kind === "proportion") {
    const { direction } = rule.condition;
    const offending = direction === "above" || direction === "increase" ? 1 : 0;
    const wanted = transition.to === "resolved" ? 1 - offending : offending;
    return (withSamples.find((r) => r.samples.includes(wanted)) ?? withSamples[0])?.facts;
  }
  const target =
    transition.value ??
    aggregate(
      rule.aggregation,
      withSamples.flatMap((r) => r.samples),
    ) ??
    0;
  let best = withSamples[0]!;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const r of withSamples) {
    const distance = Math.min(...r.samples.map((s) => Math.abs(s - target)));
    if (distance < bestDistance) [best, bestDistance] = [r, distance];
  }
  return best.facts;
}
