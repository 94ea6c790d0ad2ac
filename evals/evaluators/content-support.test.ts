import { describe, expect, it } from "vitest";
import { makeCase } from "@/test-support/evals/eval-cases";
import { contentSupportEvaluator } from "./content-support";

const chunk = {
  id: "c#0",
  docId: "c",
  title: "Hotels",
  text: "The Oberoi Group is a hotel company with its head office in Delhi.",
  score: 1,
};

describe("hallucination.support", () => {
  const evaluator = contentSupportEvaluator();

  it("passes an answer the sources carry and flags one with invented content, naming it", async () => {
    const good = await evaluator.evaluate(makeCase({ answer: "Delhi", retrieved: [chunk] }), {});
    expect(good).toMatchObject({ score: 1, label: "supported" });
    const bad = await evaluator.evaluate(makeCase({ answer: "Its head office is in Mumbai.", retrieved: [chunk] }), {});
    expect(bad).toMatchObject({ score: 0, label: "unsupported_content" });
    expect(bad.explanation).toContain('"mumbai"');
  });

  it("applies only where there is something to check against", () => {
    expect(evaluator.appliesTo(makeCase({ answer: "Delhi" }))).toBe(false);
    expect(evaluator.judge).toEqual({ kind: "CODE", version: "support@1:unsupported>0" });
  });
});
