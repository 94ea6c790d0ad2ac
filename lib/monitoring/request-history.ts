import { aggregate, type Aggregation, type MetricDefinition } from "./metrics";
import type { GroupDimension, RequestFacts } from "./request-facts";

/**
 * Requests in time order, sliced by time range with a binary search: a backtest asks for
 * thousands of windows, and each must cost the requests in it, not the whole history.
 */

/** Only requests whose dimension has one of these values (a string is a one-value list). */
export type GroupFilter = Partial<Record<GroupDimension, string | readonly string[]>>;

export class RequestHistory {
  private readonly sorted: readonly RequestFacts[];

  constructor(facts: readonly RequestFacts[]) {
    this.sorted = [...facts].sort((a, b) => a.startMs - b.startMs);
  }

  get size(): number {
    return this.sorted.length;
  }

  /** Requests that started in [from, to). */
  between(from: number, to: number): readonly RequestFacts[] {
    return this.sorted.slice(this.firstAtOrAfter(from), this.firstAtOrAfter(to));
  }

  private firstAtOrAfter(time: number): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sorted[mid]!.startMs < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export function matchesFilter(facts: RequestFacts, filter: GroupFilter): boolean {
  return Object.entries(filter).every(([dimension, wanted]) => {
    const value = facts.groups[dimension as GroupDimension];
    return typeof wanted === "string" ? value === wanted : (wanted ?? []).includes(value);
  });
}

/** `route=kb,model=x`, or `*` when not grouped: the key alert state is kept under. */
export function groupKey(facts: RequestFacts, groupBy: readonly GroupDimension[]): string {
  return groupBy.length === 0 ? "*" : groupBy.map((d) => `${d}=${facts.groups[d]}`).join(",");
}

/** The samples of `metric` in each group of `requests`. */
export function samplesByGroup(
  requests: readonly RequestFacts[],
  metric: MetricDefinition,
  groupBy: readonly GroupDimension[],
  filter: GroupFilter,
): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (const facts of requests) {
    if (!matchesFilter(facts, filter)) continue;
    const key = groupKey(facts, groupBy);
    const samples = groups.get(key) ?? [];
    samples.push(...metric.samples(facts));
    groups.set(key, samples);
  }
  return groups;
}

export interface SeriesPoint {
  /** Start of the time bucket (epoch ms, a multiple of the bucket size). */
  bucketStartMs: number;
  group: string;
  /** Samples behind the value. */
  n: number;
  value: number | undefined;
}

/**
 * A metric per time bucket and per group over [from, to): the series /monitor's charts read.
 * @public (its page arrives with issue 15's /monitor; tested in metrics.test.ts meanwhile)
 */
export function metricSeries(
  history: RequestHistory,
  query: {
    metric: MetricDefinition;
    aggregation: Aggregation;
    bucketMs: number;
    from: number;
    to: number;
    groupBy?: readonly GroupDimension[];
    filter?: GroupFilter;
  },
): SeriesPoint[] {
  const points: SeriesPoint[] = [];
  for (let start = Math.floor(query.from / query.bucketMs) * query.bucketMs; start < query.to; start += query.bucketMs) {
    const requests = history.between(Math.max(start, query.from), Math.min(start + query.bucketMs, query.to));
    const groups = samplesByGroup(requests, query.metric, query.groupBy ?? [], query.filter ?? {});
    for (const [group, samples] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      points.push({ bucketStartMs: start, group, n: samples.length, value: aggregate(query.aggregation, samples) });
    }
  }
  return points;
}
