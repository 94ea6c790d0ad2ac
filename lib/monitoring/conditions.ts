import { bootstrapShift, mannWhitneyU, poissonRateTest, twoProportionZTest, wilsonSeparated, type Direction } from "../math/significance";
import type { AlertRule } from "./alert-rules";
import { aggregate, metricDefinition } from "./metrics";
import type { WindowSamples } from "./rule-windows";

/**
 * Whether one window of one group breaches a rule's condition, and at which level. Pure: the
 * same samples give the same outcome, which is what makes a backtest reproducible.
 */

export type AlertLevel = "warning" | "alert";

export interface ConditionOutcome {
  /** `missing`: no data, or fewer samples than min_samples (current or baseline). */
  state: "breach" | "clear" | "missing";
  level?: AlertLevel;
  n: number;
  value?: number;
  baselineValue?: number;
  pValue?: number;
  detail: string;
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(3));

export function evaluateCondition(rule: AlertRule, samples: WindowSamples | undefined): ConditionOutcome {
  const metric = metricDefinition(rule.metric)!;
  const current = samples?.current ?? [];
  const n = current.length;
  const counted = metric.kind === "count";
  if (!counted && n < Math.max(1, rule.min_samples)) return { state: "missing", n, detail: `${n} samples (min ${rule.min_samples})` };
  const value = aggregate(rule.aggregation, current)!;
  const condition = rule.condition;
  if (condition.type === "threshold") {
    const beyond = (limit: number) => (condition.direction === "above" ? value > limit : value < limit);
    const level: AlertLevel | undefined = beyond(condition.alert)
      ? "alert"
      : condition.warning !== undefined && beyond(condition.warning)
        ? "warning"
        : undefined;
    const limit = level === "warning" ? condition.warning! : condition.alert;
    const detail = `${fmt(value)} ${level ? condition.direction : "within"} ${fmt(limit)}`;
    return { state: level ? "breach" : "clear", ...(level && { level }), n, value, detail };
  }
  const baseline = samples?.baseline ?? [];
  if (!counted && baseline.length < Math.max(1, rule.min_samples)) {
    return { state: "missing", n, value, detail: `baseline has ${baseline.length} samples (min ${rule.min_samples})` };
  }
  const periods = samples?.baselineWindows ?? 1;
  const baselineValue = counted ? baseline.length / periods : aggregate(rule.aggregation, baseline)!;
  const direction: Direction = condition.direction;
  const change = direction === "increase" ? value - baselineValue : baselineValue - value;
  const bigEnough =
    "absolute" in condition.min_effect
      ? change >= condition.min_effect.absolute
      : change > 0 && (baselineValue === 0 || change / Math.abs(baselineValue) >= condition.min_effect.relative);
  const pValue = pValueOf(rule, current, baseline, periods);
  const significance = (alpha: number) =>
    condition.test === "wilson"
      ? wilsonSeparated(sum(current), current.length, sum(baseline), baseline.length, alpha, direction).significant
      : (pValue ?? 1) < alpha;
  const level: AlertLevel | undefined = !bigEnough
    ? undefined
    : significance(condition.alpha)
      ? "alert"
      : condition.warning_alpha !== undefined && significance(condition.warning_alpha)
        ? "warning"
        : undefined;
  const versions = samples?.versions ? ` (${samples.versions.current} vs ${samples.versions.baseline})` : "";
  const detail = `${fmt(value)} vs baseline ${fmt(baselineValue)}${versions}, ${condition.test}${pValue === undefined ? "" : ` p=${pValue.toPrecision(2)}`}`;
  return {
    state: level ? "breach" : "clear",
    ...(level && { level }),
    n,
    value,
    baselineValue,
    ...(pValue !== undefined && { pValue }),
    detail,
  };
}

const sum = (values: readonly number[]) => values.reduce((s, v) => s + v, 0);

/** The test's one-sided p-value; undefined for Wilson, which compares intervals at each level instead. */
function pValueOf(rule: AlertRule, current: number[], baseline: number[], periods: number): number | undefined {
  const condition = rule.condition;
  if (condition.type !== "baseline") return undefined;
  const direction = condition.direction;
  switch (condition.test) {
    case "two_proportion_z":
      return twoProportionZTest(sum(current), current.length, sum(baseline), baseline.length, direction).pValue;
    case "mann_whitney":
      return mannWhitneyU(current, baseline, direction).pValue;
    case "bootstrap":
      return bootstrapShift(current, baseline, (v) => aggregate(rule.aggregation, v) ?? 0, direction).pValue;
    case "poisson":
      return poissonRateTest(current.length, 1, baseline.length, periods, direction).pValue;
    case "wilson":
      return undefined;
  }
}
