import { describe, expect, it } from "vitest";
import { costEvaluator, latencyEvaluator } from "./latency-cost";
import { routingEvaluator } from "./routing";
import { makeCase } from "@/test-support/evals/eval-cases";

describe("routing.match", () => {
  const evaluator = routingEvaluator();
  const expected = { expected: { route: "sales_query" as const } };

  it("applies with an expected route and compares it with the agent's", async () => {
    expect(evaluator.appliesTo(makeCase())).toBe(false);
    expect(await evaluator.evaluate(makeCase({ example: expected, route: "sales_query" }), {})).toMatchObject({
      score: 1,
      label: "correct",
    });
    expect(await evaluator.evaluate(makeCase({ example: expected, route: "calculator" }), {})).toMatchObject({ score: 0, label: "wrong" });
    expect(await evaluator.evaluate(makeCase({ example: expected }), {})).toMatchObject({ score: 0, label: "no_route" });
  });
});

describe("latency and cost", () => {
  it("score 1 within budget and carry the figure in the label", async () => {
    const latency = latencyEvaluator({ latencyBudgetMs: 5000 });
    expect(latency.appliesTo(makeCase())).toBe(true);
    expect(await latency.evaluate(makeCase({ latencyMs: 4321.4 }), {})).toMatchObject({ score: 1, label: "4321 ms" });
    expect(await latency.evaluate(makeCase({ latencyMs: 6000 }), {})).toMatchObject({ score: 0, label: "6000 ms" });
  });

  it("treat an unknown cost as no data (never free), a known zero as within budget, and flag an expensive example", async () => {
    const cost = costEvaluator({ costBudgetUsd: 0.001 });
    expect(cost.appliesTo(makeCase())).toBe(false);
    expect(cost.appliesTo(makeCase({ costUsd: 0 }))).toBe(true);
    expect(await cost.evaluate(makeCase({ costUsd: 0 }), {})).toMatchObject({ score: 1, label: "$0.000000" });
    expect(await cost.evaluate(makeCase({ costUsd: 0.0042, promptTokens: 900, completionTokens: 80 }), {})).toMatchObject({
      score: 0,
      label: "$0.004200",
    });
  });
});
