import { bootstrapDifference, proportionDifferenceInterval, type Interval } from "../math/difference-intervals";
import { mannWhitneyU, twoProportionZTest, type Direction } from "../math/significance";
import { aggregate, metricDefinition, type Aggregation } from "./metrics";
import { STEP_KINDS, type RequestFacts } from "./request-facts";

/**
 * Each metric before and after a change, with the delta, its 95 % interval and a two-sided test
 * fit for the metric: two-proportion z (Newcombe interval) for rates, a bootstrap of the
 * statistic itself for quantiles, Mann–Whitney U for means (bootstrap interval). Counts and
 * sums depend on how long each side ran, so they get values and no test.
 */

export interface MetricComparison {
  metric: string;
  aggregation: Aggregation;
  unit: string;
  before: { n: number; value?: number };
  after: { n: number; value?: number };
  delta?: number;
  /** Δ / before, when before is not 0. */
  relative?: number;
  /** 95 % interval of the delta. */
  interval?: Interval;
  test?: "two_proportion_z" | "bootstrap" | "mann_whitney";
  /** Two-sided. */
  pValue?: number;
  significant: boolean;
}

/** What the table lists, in this order; rule metrics not in it are added after. */
const COMPARED: readonly (readonly [string, Aggregation])[] = [
  ["request_count", "count"],
  ["error_rate", "rate"],
  ["tool_failure_rate", "rate"],
  ["request_latency_ms", "p50"],
  ["request_latency_ms", "p95"],
  ["request_latency_ms", "p99"],
  ...STEP_KINDS.map((kind) => [`step_latency_ms.${kind}`, "p95"] as const),
  ["prompt_tokens", "mean"],
  ["completion_tokens", "mean"],
  ["cost_usd", "mean"],
  ["cost_usd", "sum"],
  ["retrieval_top_score", "mean"],
  ["retrieval_relevance", "mean"],
  ["hallucination_rate", "rate"],
  ["route_confidence", "mean"],
  ["abstention_rate", "rate"],
  ["thumbs_down_rate", "rate"],
];

const sum = (values: readonly number[]) => values.reduce((s, v) => s + v, 0);
const twoSided = (p: (direction: Direction) => number) => Math.min(1, 2 * Math.min(p("increase"), p("decrease")));

function tested(aggregation: Aggregation, after: number[], before: number[]): Pick<MetricComparison, "interval" | "test" | "pValue"> {
  if (aggregation === "rate") {
    const [x1, x0] = [sum(after), sum(before)];
    return {
      test: "two_proportion_z",
      pValue: twoSided((d) => twoProportionZTest(x1, after.length, x0, before.length, d).pValue),
      interval: proportionDifferenceInterval(x1, after.length, x0, before.length),
    };
  }
  const statistic = (values: readonly number[]) => aggregate(aggregation, values) ?? 0;
  const boot = bootstrapDifference(after, before, statistic);
  if (aggregation === "mean")
    return { test: "mann_whitney", pValue: twoSided((d) => mannWhitneyU(after, before, d).pValue), interval: boot.interval };
  return { test: "bootstrap", pValue: Math.min(1, 2 * Math.min(boot.pIncrease, boot.pDecrease)), interval: boot.interval };
}

export function compareMetric(
  metricName: string,
  aggregation: Aggregation,
  before: readonly RequestFacts[],
  after: readonly RequestFacts[],
  alpha: number,
): MetricComparison | undefined {
  const metric = metricDefinition(metricName);
  if (!metric) return undefined;
  const beforeSamples = before.flatMap((f) => metric.samples(f));
  const afterSamples = after.flatMap((f) => metric.samples(f));
  const b = aggregate(aggregation, beforeSamples);
  const a = aggregate(aggregation, afterSamples);
  const row: MetricComparison = {
    metric: metricName,
    aggregation,
    unit: metric.unit,
    before: { n: beforeSamples.length, ...(b !== undefined && { value: b }) },
    after: { n: afterSamples.length, ...(a !== undefined && { value: a }) },
    significant: false,
  };
  if (a === undefined || b === undefined) return row;
  const delta = a - b;
  const withDelta = { ...row, delta, ...(b !== 0 && { relative: delta / Math.abs(b) }) };
  if (aggregation === "count" || aggregation === "sum" || afterSamples.length < 2 || beforeSamples.length < 2) return withDelta;
  const test = tested(aggregation, afterSamples, beforeSamples);
  return { ...withDelta, ...test, significant: (test.pValue ?? 1) < alpha };
}

/** Every listed metric plus `extra` (the rules' metric and aggregation pairs), each once. */
export function compareMetrics(
  before: readonly RequestFacts[],
  after: readonly RequestFacts[],
  options: { alpha: number; extra?: readonly (readonly [string, Aggregation])[] },
): MetricComparison[] {
  const seen = new Set<string>();
  const rows: MetricComparison[] = [];
  for (const [metric, aggregation] of [...COMPARED, ...(options.extra ?? [])]) {
    const key = `${metric}:${aggregation}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const row = compareMetric(metric, aggregation, before, after, options.alpha);
    if (row) rows.push(row);
  }
  return rows;
}
