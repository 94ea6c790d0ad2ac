import { chiSquareIndependence, type ChiSquareResult } from "../math/chi-square";
import type { RequestFacts } from "./request-facts";

/**
 * Whether the route mix moved between two sets of requests: a chi-square test of independence
 * on the requests per route, and each route's share before and after. A router change shows
 * here first (more follow-up questions, fewer searches) before any quality metric moves.
 */

export interface RouteShare {
  route: string;
  before: number;
  after: number;
  beforeShare: number;
  afterShare: number;
}

export interface RouteMixShift extends ChiSquareResult {
  routes: RouteShare[];
  significant: boolean;
}

function countByRoute(requests: readonly RequestFacts[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of requests) counts.set(r.groups.route, (counts.get(r.groups.route) ?? 0) + 1);
  return counts;
}

export function routeMixShift(before: readonly RequestFacts[], after: readonly RequestFacts[], alpha: number): RouteMixShift {
  const b = countByRoute(before);
  const a = countByRoute(after);
  const names = [...new Set([...b.keys(), ...a.keys()])].sort();
  const share = (count: number, total: number) => (total === 0 ? 0 : count / total);
  const routes = names.map((route) => ({
    route,
    before: b.get(route) ?? 0,
    after: a.get(route) ?? 0,
    beforeShare: share(b.get(route) ?? 0, before.length),
    afterShare: share(a.get(route) ?? 0, after.length),
  }));
  const test = chiSquareIndependence([routes.map((r) => r.before), routes.map((r) => r.after)]);
  return { ...test, routes, significant: test.pValue < alpha };
}
