import { describe, expect, it } from "vitest";
import type { Evaluator } from "../evaluators/types";
import { ungatedJudges, type JudgeBar } from "./judge-gating";
import type { QualificationEntry } from "./qualification";

const judge = (name: string, kind: "CODE" | "learned" | "LLM", version: string): Evaluator => ({
  name,
  kind: kind === "LLM" ? "LLM" : "CODE",
  judge: { kind, version },
  appliesTo: () => true,
  evaluate: () => Promise.reject(new Error("unused")),
});

const entry = (over: Partial<QualificationEntry>): QualificationEntry => ({
  judge: "hallucination.support",
  kind: "CODE",
  model: "-",
  version: "v1",
  task: "halueval-qa",
  file: "f",
  split: "test",
  n: 300,
  precision: 0.95,
  recall: 0.8,
  f1: 0.87,
  accuracy: 0.88,
  balancedAccuracy: 0.88,
  intervals: { precision: [0.9, 1], recall: [0.7, 0.9], accuracy: [0.8, 0.9], f1: [0.8, 0.9], balancedAccuracy: [0.8, 0.9] },
  measuredAt: "2026-12-05T00:00:00Z",
  command: "npm run eval:judges",
  ...over,
});

const bars: Record<string, JudgeBar> = {
  "hallucination.support": { task: "halueval-qa", min: { precision: 0.75, f1: 0.75 } },
  "hallucination.judge": { task: "halueval-qa", min: { f1: 0.75 } },
};
const configured = { llmJudge: "llama.cpp/smollm2-135m", selfJudging: true, embeddingModel: "minilm" };

describe("ungatedJudges", () => {
  it("gates a judge whose qualification matches and meets the bar", () => {
    expect(ungatedJudges([judge("hallucination.support", "CODE", "v1")], [entry({})], bars, configured).size).toBe(0);
  });

  it("does not gate a judge below its bar, measured for another version, or never measured", () => {
    const below = ungatedJudges([judge("hallucination.support", "CODE", "v1")], [entry({ f1: 0.6 })], bars, configured);
    expect(below.get("hallucination.support")).toBe("unqualified: f1 0.60 < 0.75 on halueval-qa test (n = 300)");
    const stale = ungatedJudges([judge("hallucination.support", "CODE", "v2")], [entry({})], bars, configured);
    expect(stale.get("hallucination.support")).toMatch(/measured for version v1, configured v2/);
    expect(ungatedJudges([judge("hallucination.support", "CODE", "v1")], [], bars, configured).get("hallucination.support")).toMatch(
      /not measured/,
    );
  });

  it("says self-judging for an LLM judge that is the app's own model, and needs a benchmark", () => {
    const llm = judge("hallucination.judge", "LLM", "p1");
    const ungated = ungatedJudges(
      [llm, judge("qa.judge", "LLM", "p2")],
      [entry({ judge: "hallucination.judge", kind: "LLM", model: "llama.cpp/smollm2-135m", version: "p1", f1: 0.67 })],
      bars,
      configured,
    );
    expect(ungated.get("hallucination.judge")).toMatch(/^unqualified: self-judging; f1 0\.67 < 0\.75/);
    expect(ungated.get("qa.judge")).toMatch(/no labeled benchmark/);
  });
});
