import { AppError } from "@/lib/errors";
import { askFollowupRoute } from "./ask-followup";
import { calculatorRoute } from "./calculator";
import { knowledgeBaseRoute } from "./knowledge-base";
import type { RouteDefinition } from "./route";
import { runCodeRoute } from "./run-code";
import { salesQueryRoute } from "./sales-query";

/**
 * Every route the agent can take: adding a tool is one module (see ./route.ts and
 * CONTRIBUTING.md) and one line here. The order is the canonical order of reports and
 * prompts; it carries no priority.
 */
export const ROUTE_DEFINITIONS = [knowledgeBaseRoute, salesQueryRoute, calculatorRoute, runCodeRoute, askFollowupRoute] as const;

export type RouteName = (typeof ROUTE_DEFINITIONS)[number]["name"];

export const ROUTES: readonly RouteName[] = ROUTE_DEFINITIONS.map((r) => r.name);

export function isRouteName(value: string): value is RouteName {
  return (ROUTES as readonly string[]).includes(value);
}

const byName = new Map<string, RouteDefinition>(ROUTE_DEFINITIONS.map((r) => [r.name, r]));

export function routeDefinition(name: RouteName): RouteDefinition {
  const route = byName.get(name);
  if (!route) throw new RangeError(`no route ${name}`);
  return route;
}

/** A value per route, keyed by name (the one cast: `fromEntries` cannot know the keys are exactly the route names). */
export function byRoute<T>(value: (route: RouteDefinition) => T): Readonly<Record<RouteName, T>> {
  return Object.fromEntries(ROUTE_DEFINITIONS.map((r) => [r.name, value(r)])) as Record<RouteName, T>;
}

/** The router's example utterances, by route. */
export const ROUTE_EXAMPLES = byRoute((r) => r.examples);

/**
 * A route named by data (a dataset's `expected.route`, a reviewer's choice), checked against
 * the registry: lib/ validates only the shape of a route name.
 */
export function knownRoute(name: string | undefined): RouteName | undefined {
  if (name === undefined) return undefined;
  if (!isRouteName(name)) throw new AppError("dataset_invalid", `unknown route "${name}"; the routes are ${ROUTES.join(", ")}`);
  return name;
}
