import type { TraceSummary } from "./trace-summary";

/**
 * Latency and cost outliers over the curation window, by a robust rule: a value is an outlier
 * above median + K × 1.4826 × MAD (the median absolute deviation, scaled to match a standard
 * deviation on normal data). Latency and token counts are right-skewed with a long tail, where
 * a mean + k·sd rule lets the tail inflate its own threshold and a fixed percentile always
 * flags the same share even on a healthy day; median and MAD ignore the tail, so only traces
 * truly out of line are flagged. K = 3.5 is Iglewicz and Hoaglin's cut for the modified
 * z-score. Cuts are per route (a code run is slower than a calculation by design) once a route
 * has MIN_SAMPLES traces in the window, else over all routes; with fewer traces, none.
 */

export const OUTLIER_K = 3.5;
export const MIN_SAMPLES = 8;
/** Floor on the spread, as a share of the median: identical values would make any excess an outlier. */
const MIN_SPREAD_SHARE = 0.1;

export interface OutlierCut {
  median: number;
  mad: number;
  /** Values above this are outliers. */
  cut: number;
  n: number;
  /** The traces the cut was computed over: a route name, or "all routes". */
  over: string;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The cut over `values`, or undefined when there are too few to tell. */
export function robustCut(values: readonly number[], over: string, k = OUTLIER_K, minSamples = MIN_SAMPLES): OutlierCut | undefined {
  if (values.length < minSamples) return undefined;
  const m = median(values);
  const mad = median(values.map((v) => Math.abs(v - m)));
  const spread = Math.max(1.4826 * mad, MIN_SPREAD_SHARE * Math.abs(m), Number.EPSILON);
  return { median: m, mad, cut: m + k * spread, n: values.length, over };
}

export type CostMetric = "costUsd" | "tokens";

export interface OutlierCuts {
  latency: (s: TraceSummary) => OutlierCut | undefined;
  /** Cost in USD when any trace in the window has a cost; tokens otherwise (local models cost 0). */
  costMetric: CostMetric;
  cost: (s: TraceSummary) => OutlierCut | undefined;
}

export function costValue(s: TraceSummary, metric: CostMetric): number | undefined {
  const v = metric === "costUsd" ? s.costUsd : s.tokens;
  return v === null ? undefined : v;
}

/** Per-route cuts with an all-routes fallback, for a measure read from each summary. */
function cutsBy(
  summaries: readonly TraceSummary[],
  read: (s: TraceSummary) => number | undefined,
): (s: TraceSummary) => OutlierCut | undefined {
  const all: number[] = [];
  const byRoute = new Map<string, number[]>();
  for (const s of summaries) {
    const v = read(s);
    if (v === undefined) continue;
    all.push(v);
    const key = s.route ?? "unrouted";
    byRoute.set(key, [...(byRoute.get(key) ?? []), v]);
  }
  const global = robustCut(all, "all routes");
  const perRoute = new Map([...byRoute].map(([route, values]) => [route, robustCut(values, route)]));
  return (s) => perRoute.get(s.route ?? "unrouted") ?? global;
}

export function outlierCuts(summaries: readonly TraceSummary[]): OutlierCuts {
  const costMetric: CostMetric = summaries.some((s) => (s.costUsd ?? 0) > 0) ? "costUsd" : "tokens";
  return {
    latency: cutsBy(summaries, (s) => s.latencyMs),
    costMetric,
    cost: cutsBy(summaries, (s) => costValue(s, costMetric)),
  };
}
