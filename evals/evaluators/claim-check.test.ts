import { describe, expect, it } from "vitest";
import { claimCheckEvaluator } from "./claim-check";
import { chunk, makeCase } from "@/test-support/evals/eval-cases";

const evaluator = claimCheckEvaluator();
const ctx = {};

describe("hallucination.claims", () => {
  const retrieved = [chunk("warranty", "All ACME rocket skates carry a 3-year limited warranty.")];

  it("applies to answered cases with retrieved context only", () => {
    expect(evaluator.kind).toBe("CODE");
    expect(evaluator.appliesTo(makeCase({ answer: "Yes", retrieved }))).toBe(true);
    expect(evaluator.appliesTo(makeCase({ answer: "Yes" }))).toBe(false);
    expect(evaluator.appliesTo(makeCase({ answer: "  ", retrieved }))).toBe(false);
  });

  it("scores the share of supported claims and names the invented ones", async () => {
    const score = await evaluator.evaluate(
      makeCase({ answer: "Rocket skates from ACME have a 5-year warranty from Globex.", retrieved }),
      ctx,
    );
    expect(score.label).toBe("unsupported_claims");
    expect(score.score).toBeCloseTo(1 / 3);
    expect(score.explanation).toContain("number: 5");
    expect(score.explanation).toContain("name: Globex");
  });

  it("counts tool outputs and the question as sources", async () => {
    const score = await evaluator.evaluate(
      makeCase({
        answer: "EMEA revenue in Q2 was 1,250,000.",
        retrieved,
        example: { input: { message: "What was EMEA revenue in Q2?" } },
        toolOutputs: [{ tool: "sales_query", input: {}, output: '{"rows":[{"revenue":1250000}]}' }],
      }),
      ctx,
    );
    expect(score).toMatchObject({ score: 1, label: "supported" });
  });

  it("ignores a failed tool's output", async () => {
    const score = await evaluator.evaluate(
      makeCase({
        answer: "It was 1,250,000.",
        retrieved,
        toolOutputs: [{ tool: "sales_query", input: {}, output: "1250000", error: { code: "tool_failed", message: "x" } }],
      }),
      ctx,
    );
    expect(score.label).toBe("unsupported_claims");
  });

  it("an abstention invents nothing", async () => {
    expect(await evaluator.evaluate(makeCase({ answer: "I don't know.", retrieved }), ctx)).toMatchObject({ score: 1, label: "abstained" });
  });
});
