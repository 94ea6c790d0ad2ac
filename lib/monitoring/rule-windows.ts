import type { AlertRule } from "./alert-rules";
import { metricDefinition } from "./metrics";
import { groupKey, matchesFilter, samplesByGroup, type RequestHistory } from "./request-history";
import type { RequestFacts } from "./request-facts";
import { AppError } from "../errors";

/**
 * What a rule looks at when a window ends: per group, the metric's samples in the window and,
 * for a baseline condition, in its baseline — the periods before the window (after leaving out
 * `skip` windows), or the previous version's requests.
 */

export interface WindowSamples {
  current: number[];
  baseline?: number[];
  /** The baseline's length in windows (the Poisson test's exposure). */
  baselineWindows?: number;
  /** For a previous-version baseline: the versions compared. */
  versions?: { current: string; baseline: string };
}

/** The window [end − window, end) of `rule`, per group key. */
export function ruleWindowSamples(rule: AlertRule, history: RequestHistory, endMs: number): Map<string, WindowSamples> {
  const metric = metricDefinition(rule.metric);
  if (!metric) throw new AppError("config_invalid", `rule "${rule.name}": unknown metric ${rule.metric}`);
  const start = endMs - rule.window;
  const { condition } = rule;
  if (condition.type === "threshold") {
    return mapValues(samplesByGroup(history.between(start, endMs), metric, rule.group_by, rule.filter), (current) => ({ current }));
  }
  if (condition.baseline.kind === "previous_period") {
    const { periods, skip } = condition.baseline;
    const baselineEnd = start - skip * rule.window;
    const current = samplesByGroup(history.between(start, endMs), metric, rule.group_by, rule.filter);
    const baseline = samplesByGroup(history.between(baselineEnd - periods * rule.window, baselineEnd), metric, rule.group_by, rule.filter);
    const keys = new Set([...current.keys(), ...baseline.keys()]);
    return new Map(
      [...keys].map((key) => [key, { current: current.get(key) ?? [], baseline: baseline.get(key) ?? [], baselineWindows: periods }]),
    );
  }
  return versionSamples(rule, history, endMs, condition.baseline.dimension, condition.baseline.lookback);
}

/**
 * Current: the window's requests of the version its latest request ran. Baseline: within the
 * lookback, the requests of the other version seen most recently (the one deployed before).
 */
function versionSamples(
  rule: AlertRule,
  history: RequestHistory,
  endMs: number,
  dimension: "app_version" | "prompt_version",
  lookbackMs: number,
): Map<string, WindowSamples> {
  const metric = metricDefinition(rule.metric)!;
  const byGroup = new Map<string, RequestFacts[]>();
  for (const facts of history.between(endMs - Math.max(lookbackMs, rule.window), endMs)) {
    if (!matchesFilter(facts, rule.filter)) continue;
    const key = groupKey(facts, rule.group_by);
    byGroup.set(key, [...(byGroup.get(key) ?? []), facts]);
  }
  const result = new Map<string, WindowSamples>();
  for (const [key, requests] of byGroup) {
    const inWindow = requests.filter((f) => f.startMs >= endMs - rule.window);
    const latest = inWindow.at(-1);
    if (!latest) continue;
    const version = latest.groups[dimension];
    const previous = requests.filter((f) => f.groups[dimension] !== version).at(-1)?.groups[dimension];
    const current = inWindow.filter((f) => f.groups[dimension] === version).flatMap((f) => metric.samples(f));
    if (previous === undefined) {
      result.set(key, { current, baseline: [] });
      continue;
    }
    const baseline = requests.filter((f) => f.groups[dimension] === previous).flatMap((f) => metric.samples(f));
    result.set(key, { current, baseline, versions: { current: version, baseline: previous } });
  }
  return result;
}

function mapValues<K, A, B>(map: Map<K, A>, f: (value: A) => B): Map<K, B> {
  return new Map([...map].map(([key, value]) => [key, f(value)]));
}
