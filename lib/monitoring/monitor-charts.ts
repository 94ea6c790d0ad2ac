import { metricDefinition, type Aggregation } from "./metrics";
import { STEP_KINDS, type GroupDimension, type RequestFacts } from "./request-facts";
import { groupKey, metricSeries, type RequestHistory } from "./request-history";
import type { MonitorGroup, MonitorRange } from "./monitor-query";

/**
 * The charts of /monitor as plain data: one row per time bucket with a value per series, the
 * shape chart libraries take. Values come from metrics.ts's definitions through the same
 * `metricSeries` the alert rules' windows use, so a chart and a rule never disagree. Series
 * keys are `s0`, `s1`, … (a group such as `knowledge_base` or `1.2.0` would be read as a path).
 */

export interface ChartSpec {
  id: string;
  title: string;
  metric: string;
  aggregation: Aggregation;
  /** The step-kind chart: one series per kind, whatever the group-by. */
  byStepKind?: boolean;
}

export interface ChartSeries {
  key: string;
  name: string;
}

export interface MonitorChart extends Omit<ChartSpec, "byStepKind"> {
  unit: string;
  description: string;
  series: ChartSeries[];
  /** `t` is the bucket's start (epoch ms); a series' value is null where it has no samples. */
  rows: Record<string, number | null>[];
  /** Points with a value, over all series (what the page's test counts). */
  points: number;
}

export const MONITOR_CHARTS: readonly ChartSpec[] = [
  { id: "requests", title: "Requests", metric: "request_count", aggregation: "count" },
  { id: "errors", title: "Error rate", metric: "error_rate", aggregation: "rate" },
  { id: "latency-p95", title: "Latency p95", metric: "request_latency_ms", aggregation: "p95" },
  { id: "step-latency", title: "Step latency p95 by step kind", metric: "step_latency_ms", aggregation: "p95", byStepKind: true },
  { id: "tool-failures", title: "Tool failure rate", metric: "tool_failure_rate", aggregation: "rate" },
  { id: "prompt-tokens", title: "Prompt tokens per request", metric: "prompt_tokens", aggregation: "mean" },
  { id: "completion-tokens", title: "Completion tokens per request", metric: "completion_tokens", aggregation: "mean" },
  { id: "cost", title: "Cost (total per bucket)", metric: "cost_usd", aggregation: "sum" },
  { id: "retrieval-score", title: "Retrieval top score", metric: "retrieval_top_score", aggregation: "mean" },
  { id: "retrieval-relevance", title: "Online retrieval relevance", metric: "retrieval_relevance", aggregation: "mean" },
  { id: "hallucination", title: "Unsupported claims (claim check, guard repairs)", metric: "hallucination_rate", aggregation: "rate" },
  { id: "answer-repairs", title: "Answers repaired by the guard", metric: "answer_repair_rate", aggregation: "rate" },
  { id: "route-confidence", title: "Route confidence", metric: "route_confidence", aggregation: "mean" },
  { id: "abstention", title: "Abstention rate", metric: "abstention_rate", aggregation: "rate" },
  { id: "thumbs-down", title: "👎 rate", metric: "thumbs_down_rate", aggregation: "rate" },
];

/** The dimension a group-by names; none for `none`. */
export function groupDimensions(groupBy: MonitorGroup): GroupDimension[] {
  return groupBy === "none" ? [] : [groupBy];
}

/** `route=knowledge_base` → `knowledge_base`; the ungrouped `*` → `all`. */
export function groupLabel(key: string): string {
  return key === "*" ? "all" : key.slice(key.indexOf("=") + 1);
}

function bucketStarts(range: MonitorRange): number[] {
  const starts: number[] = [];
  for (let t = Math.floor(range.fromMs / range.bucketMs) * range.bucketMs; t < range.toMs; t += range.bucketMs) starts.push(t);
  return starts;
}

function buildChart(spec: ChartSpec, history: RequestHistory, range: MonitorRange, groupBy: MonitorGroup): MonitorChart {
  const metricNames = spec.byStepKind ? STEP_KINDS.map((k) => `${spec.metric}.${k}`) : [spec.metric];
  const values = new Map<string, Map<number, number>>();
  for (const name of metricNames) {
    const metric = metricDefinition(name)!;
    const query = { metric, aggregation: spec.aggregation, bucketMs: range.bucketMs, from: range.fromMs, to: range.toMs };
    const points = metricSeries(history, spec.byStepKind ? query : { ...query, groupBy: groupDimensions(groupBy) });
    for (const p of points) {
      if (p.value === undefined) continue;
      const seriesName = spec.byStepKind ? name.slice(spec.metric.length + 1) : groupLabel(p.group);
      values.set(seriesName, (values.get(seriesName) ?? new Map<number, number>()).set(p.bucketStartMs, p.value));
    }
  }
  const series = [...values.keys()].sort().map((name, i) => ({ key: `s${i}`, name }));
  const rows = bucketStarts(range).map((t) => {
    const row: Record<string, number | null> = { t };
    for (const s of series) row[s.key] = values.get(s.name)?.get(t) ?? null;
    return row;
  });
  const definition = metricDefinition(metricNames[0]!)!;
  const shown = { id: spec.id, title: spec.title, metric: spec.metric, aggregation: spec.aggregation };
  return {
    ...shown,
    unit: definition.unit,
    description: definition.description,
    series,
    rows,
    points: [...values.values()].reduce((n, m) => n + m.size, 0),
  };
}

export function monitorCharts(history: RequestHistory, range: MonitorRange, groupBy: MonitorGroup): MonitorChart[] {
  return MONITOR_CHARTS.map((spec) => buildChart(spec, history, range, groupBy));
}

export interface PointTrace {
  traceId: string;
  failed: boolean;
  latencyMs: number;
  /** The trace in Phoenix, when export to Phoenix is on. */
  url?: string;
}

/**
 * The traces behind each point: per bucket and group, failed requests first, then the slowest,
 * at most `perPoint` (the page links each; the rest are one search away in Phoenix).
 */
export function pointTraces(
  history: RequestHistory,
  range: MonitorRange,
  groupBy: MonitorGroup,
  traceUrl: (traceId: string) => string | undefined,
  perPoint = 5,
): Record<string, Record<string, PointTrace[]>> {
  const result: Record<string, Record<string, PointTrace[]>> = {};
  for (const t of bucketStarts(range)) {
    const byGroup = new Map<string, RequestFacts[]>();
    for (const f of history.between(Math.max(t, range.fromMs), Math.min(t + range.bucketMs, range.toMs))) {
      const label = groupLabel(groupKey(f, groupDimensions(groupBy)));
      byGroup.set(label, [...(byGroup.get(label) ?? []), f]);
    }
    if (byGroup.size === 0) continue;
    result[t] = Object.fromEntries(
      [...byGroup].map(([label, facts]) => {
        const picked = [...facts].sort((a, b) => Number(b.failed) - Number(a.failed) || b.latencyMs - a.latencyMs).slice(0, perPoint);
        return [
          label,
          picked.map((f) => ({
            traceId: f.traceId,
            failed: f.failed,
            latencyMs: Math.round(f.latencyMs),
            ...withUrl(traceUrl(f.traceId)),
          })),
        ];
      }),
    );
  }
  return result;
}

const withUrl = (url: string | undefined) => (url === undefined ? {} : { url });
