import { percentile } from "../math/percentile";
import type { RequestFacts } from "./request-facts";

/**
 * The `after` traces that moved furthest from what `before` did on the same route: each is
 * measured against the before median of its route (latency, tokens, cost), and ranked by its
 * largest ratio; a failure on a route that did not fail before ranks first. The facts carry no
 * question text (and hidden inputs would mask it), so a trace is measured against its route's
 * typical request rather than paired with the same question before.
 */

export interface ChangedTrace {
  traceId: string;
  route: string;
  startMs: number;
  failed: boolean;
  latencyMs: number;
  tokens?: number;
  costUsd?: number;
  /** The largest after/before-median ratio and what it is of. */
  ratio: number;
  measure: "latency" | "tokens" | "cost" | "error";
}

interface RouteMedians {
  latencyMs: number;
  tokens?: number;
  costUsd?: number;
  errorRate: number;
}

const tokensOf = (f: RequestFacts) =>
  f.promptTokens === undefined && f.completionTokens === undefined ? undefined : (f.promptTokens ?? 0) + (f.completionTokens ?? 0);
const median = (values: number[]) => (values.length === 0 ? undefined : percentile(values, 50));

function mediansByRoute(before: readonly RequestFacts[]): Map<string, RouteMedians> {
  const byRoute = new Map<string, RequestFacts[]>();
  for (const f of before) byRoute.set(f.groups.route, [...(byRoute.get(f.groups.route) ?? []), f]);
  const medians = new Map<string, RouteMedians>();
  for (const [route, facts] of byRoute) {
    const tokens = median(facts.flatMap((f) => tokensOf(f) ?? []));
    const cost = median(facts.flatMap((f) => (f.costUsd === undefined ? [] : [f.costUsd])));
    medians.set(route, {
      latencyMs: median(facts.map((f) => f.latencyMs)) ?? 0,
      ...(tokens !== undefined && { tokens }),
      ...(cost !== undefined && { costUsd: cost }),
      errorRate: facts.filter((f) => f.failed).length / facts.length,
    });
  }
  return medians;
}

function score(f: RequestFacts, base: RouteMedians): Pick<ChangedTrace, "ratio" | "measure"> {
  // A new kind of failure outranks any slowdown.
  if (f.failed && base.errorRate < 0.5) return { ratio: Number.POSITIVE_INFINITY, measure: "error" };
  const ratios: [number, ChangedTrace["measure"]][] = [];
  const ratioOf = (value: number | undefined, reference: number | undefined) =>
    value !== undefined && reference !== undefined && reference > 0 ? value / reference : undefined;
  const latency = ratioOf(f.latencyMs, base.latencyMs);
  const tokens = ratioOf(tokensOf(f), base.tokens);
  const cost = ratioOf(f.costUsd, base.costUsd);
  if (latency !== undefined) ratios.push([latency, "latency"]);
  if (tokens !== undefined) ratios.push([tokens, "tokens"]);
  if (cost !== undefined) ratios.push([cost, "cost"]);
  // Moves either way count: a ratio of 0.5 is as far as one of 2.
  const [ratio, measure] = ratios.reduce((best, r) => (Math.abs(Math.log(r[0])) > Math.abs(Math.log(best[0])) ? r : best), [
    1,
    "latency",
  ] as [number, ChangedTrace["measure"]]);
  return { ratio, measure };
}

export function changedTraces(before: readonly RequestFacts[], after: readonly RequestFacts[], limit = 10): ChangedTrace[] {
  const medians = mediansByRoute(before);
  const scored: ChangedTrace[] = [];
  for (const f of after) {
    const base = medians.get(f.groups.route);
    if (!base) continue;
    const tokens = tokensOf(f);
    scored.push({
      traceId: f.traceId,
      route: f.groups.route,
      startMs: f.startMs,
      failed: f.failed,
      latencyMs: f.latencyMs,
      ...(tokens !== undefined && { tokens }),
      ...(f.costUsd !== undefined && { costUsd: f.costUsd }),
      ...score(f, base),
    });
  }
  const distance = (t: ChangedTrace) => (Number.isFinite(t.ratio) ? Math.abs(Math.log(t.ratio)) : Number.POSITIVE_INFINITY);
  return scored.sort((x, y) => distance(y) - distance(x) || y.latencyMs - x.latencyMs).slice(0, limit);
}
