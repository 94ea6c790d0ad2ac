import { describe, expect, it } from "vitest";
import { abstentionEvaluator } from "./abstention";
import { factCoverage } from "./fact-coverage";
import { expectedFacts, factsEvaluator, numbersEvaluator } from "./qa-correctness";
import { makeCase } from "@/test-support/evals/eval-cases";

describe("factCoverage", () => {
  it("accepts the fact in other words, with its numbers", () => {
    expect(factCoverage("R100 costs 1290 USD", "The R100 costs $1,290 (USD).").covered).toBe(true);
    expect(factCoverage("Returns are accepted within 45 days", "Express shipping takes 45 days.").covered).toBe(false);
    expect(factCoverage("returns accepted within 45 days", "Returns are accepted for 45 days after delivery.").covered).toBe(true);
  });

  it("rejects a wrong number even when the words match", () => {
    const c = factCoverage("R100 costs 1290 USD", "The R100 costs 1190 USD.");
    expect(c.covered).toBe(false);
    expect(c.missingNumbers).toEqual(["1290"]);
  });
});

describe("qa.facts", () => {
  const evaluator = factsEvaluator();

  it("uses expected facts, else the expected answer as one fact; not for unanswerable examples", () => {
    expect(expectedFacts(makeCase({ example: { expected: { answer: "3 years" } } }))).toEqual(["3 years"]);
    expect(evaluator.appliesTo(makeCase({ example: { expected: { facts: ["a"] } } }))).toBe(true);
    expect(evaluator.appliesTo(makeCase({ example: { expected: { answer: "I don't know" }, tags: ["unanswerable"] } }))).toBe(false);
    expect(evaluator.appliesTo(makeCase())).toBe(false);
  });

  it("scores the share of facts stated", async () => {
    const c = makeCase({
      answer: "Rocket skates have a 3-year warranty covering manufacturing defects.",
      example: { expected: { facts: ["3-year warranty", "covers manufacturing defects", "excludes water damage"] } },
    });
    const score = await evaluator.evaluate(c, {});
    expect(score).toMatchObject({ score: 0.6667, label: "partial" });
    expect(score.explanation).toContain("excludes water damage");
  });
});

describe("qa.numbers", () => {
  const evaluator = numbersEvaluator();

  it("applies only when the expectation has numbers", () => {
    expect(evaluator.appliesTo(makeCase({ example: { expected: { answer: "Delhi" } } }))).toBe(false);
  });

  it("matches numbers allowing for formatting", async () => {
    const c = makeCase({
      answer: "Q2 revenue was $8,515,801 from 1,200 orders.",
      example: { expected: { facts: ["revenue 8515801", "orders 1200", "units 3400"] } },
    });
    expect(await evaluator.evaluate(c, {})).toMatchObject({ score: 0.6667, label: "partial" });
  });
});

describe("qa.abstain", () => {
  const evaluator = abstentionEvaluator();
  const unanswerable = { tags: ["unanswerable"], expected: { answer: "I don't know." } };

  it("applies to unanswerable examples only", () => {
    expect(evaluator.appliesTo(makeCase({ example: unanswerable }))).toBe(true);
    expect(evaluator.appliesTo(makeCase())).toBe(false);
  });

  it("rewards abstaining and penalises an invented answer", async () => {
    expect(await evaluator.evaluate(makeCase({ answer: "I don't know.", example: unanswerable }), {})).toMatchObject({
      score: 1,
      label: "abstained",
    });
    expect(await evaluator.evaluate(makeCase({ answer: "The CEO is Jane Doe.", example: unanswerable }), {})).toMatchObject({
      score: 0,
      label: "answered",
    });
  });
});
