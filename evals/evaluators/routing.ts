import { makeScore, syncEvaluate } from "./score";
import type { Evaluator } from "./types";

/** routing.match (CODE): the route in the agent's steps against the example's expected route. */
export function routingEvaluator(): Evaluator {
  return {
    name: "routing.match",
    kind: "CODE",
    appliesTo: (c) => c.example.expected.route !== undefined,
    evaluate: syncEvaluate((c) => {
      const expected = c.example.expected.route;
      if (c.route === undefined) return makeScore(0, "no_route", `Expected ${expected}; the agent's steps record no route.`);
      const ok = c.route === expected;
      return makeScore(
        ok ? 1 : 0,
        ok ? "correct" : "wrong",
        ok ? `Routed to ${c.route} as expected.` : `Routed to ${c.route}; expected ${expected}.`,
      );
    }),
  };
}
