import { makeScore, syncEvaluate } from "./score";
import type { Evaluator } from "./types";

/**
 * latency and cost (CODE), read from the example's trace: 1 when within budget, 0 over it;
 * the label carries the figure so reports can show it without the details.
 */

export interface LatencyCostOptions {
  /** Per example, end to end. Default 20 000 ms (the embedded model on a small CPU answers in a few seconds). */
  latencyBudgetMs?: number;
  /** Per example. Default $0.01. */
  costBudgetUsd?: number;
}

export const DEFAULT_LATENCY_BUDGET_MS = 20_000;
export const DEFAULT_COST_BUDGET_USD = 0.01;

export function latencyEvaluator(options: LatencyCostOptions = {}): Evaluator {
  const budget = options.latencyBudgetMs ?? DEFAULT_LATENCY_BUDGET_MS;
  return {
    name: "latency",
    kind: "CODE",
    appliesTo: () => true,
    evaluate: syncEvaluate((c) => {
      const ms = Math.round(c.latencyMs);
      const within = ms <= budget;
      return makeScore(within ? 1 : 0, `${ms} ms`, `${ms} ms ${within ? "within" : "over"} the ${budget} ms budget.`, {
        latencyMs: ms,
        budgetMs: budget,
      });
    }),
  };
}

export function costEvaluator(options: LatencyCostOptions = {}): Evaluator {
  const budget = options.costBudgetUsd ?? DEFAULT_COST_BUDGET_USD;
  return {
    name: "cost",
    kind: "CODE",
    // An unknown cost (an LLM call whose model has no price) is no data, never free: with a
    // floor on cost, a run whose costs cannot be computed fails the gate with "no data".
    appliesTo: (c) => c.costUsd !== undefined,
    evaluate: syncEvaluate((c) => {
      const tokens = { promptTokens: c.promptTokens ?? 0, completionTokens: c.completionTokens ?? 0 };
      const usd = c.costUsd ?? 0;
      const within = usd <= budget;
      const figure = `$${usd.toFixed(6)}`;
      const explanation = `${figure} for ${tokens.promptTokens}+${tokens.completionTokens} tokens, ${within ? "within" : "over"} the $${budget} budget.`;
      return makeScore(within ? 1 : 0, figure, explanation, { costUsd: usd, budgetUsd: budget, ...tokens });
    }),
  };
}
