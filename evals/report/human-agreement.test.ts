import { describe, expect, it } from "vitest";
import type { ExampleResult } from "../runner/types";
import { humanAgreement } from "./human-agreement";

const example = (id: string, dataset: string, scores: Record<string, number>): ExampleResult => ({
  exampleId: id,
  dataset,
  tags: [],
  input: id,
  answer: "",
  expected: {},
  sources: [],
  latencyMs: 1,
  scores: Object.fromEntries(Object.entries(scores).map(([k, v]) => [k, { score: v, label: "", explanation: "", kind: "CODE" as const }])),
});

describe("humanAgreement", () => {
  it("compares each judge with the reviewer's expected facts and with feedback, on production items only", () => {
    const examples = [
      example("p1", "production", { "qa.facts": 1, "hallucination.support": 1 }),
      example("p2", "production", { "qa.facts": 0, "hallucination.support": 0 }),
      example("p3", "production", { "qa.facts": 1, "hallucination.support": 1 }),
      example("p4", "production", { "qa.facts": 0, "hallucination.support": 0 }),
      example("m1", "manual", { "qa.facts": 0, "hallucination.support": 1 }),
    ];
    const agreement = humanAgreement({
      examples,
      judges: ["hallucination.support"],
      passScore: 0.5,
      feedback: new Map([
        ["p1", false],
        ["p2", true],
      ]),
    });
    expect(agreement).toEqual([
      { judge: "hallucination.support", signal: "reviewer", n: 4, kappa: 1 },
      { judge: "hallucination.support", signal: "feedback", n: 2, kappa: -1 },
    ]);
  });

  it("compares a toxicity judge with feedback only: the reviewer's facts say nothing about civility", () => {
    const agreement = humanAgreement({
      examples: [example("p1", "production", { "qa.facts": 0, "toxicity.learned": 1 })],
      judges: ["toxicity.learned"],
      passScore: 0.5,
      feedback: new Map([["p1", true]]),
    });
    expect(agreement.map((a) => a.signal)).toEqual(["feedback"]);
  });

  it("says null, with n, when there is nothing to compare", () => {
    expect(humanAgreement({ examples: [], judges: ["qa.judge"], passScore: 0.5, feedback: new Map() })[0]).toEqual({
      judge: "qa.judge",
      signal: "reviewer",
      n: 0,
      kappa: null,
    });
  });
});
