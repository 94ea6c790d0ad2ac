import { describe, expect, it } from "vitest";
import { examplesFailingFirst, formatDelta, formatDuration, formatScore, isFailingScore } from "./format";
import { makeEvalResult } from "@/test-support/evals/eval-run-result";

describe("report formatting", () => {
  it("formats scores and signed deltas, with a dash for what is missing", () => {
    expect(formatScore(0.12345)).toBe("0.123");
    expect(formatScore(undefined)).toBe("—");
    expect(formatScore(NaN)).toBe("—");
    expect(formatDelta(0.02)).toBe("+0.020");
    expect(formatDelta(-0.2104)).toBe("-0.210");
    // A rounding-level drop is "unchanged", not "-0.000".
    expect(formatDelta(-0.0004)).toBe("+0.000");
    expect(formatDelta(undefined)).toBe("—");
  });

  it("formats durations for people", () => {
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(12_340)).toBe("12.3 s");
    expect(formatDuration(125_000)).toBe("2 m 05 s");
  });

  it("treats judge errors as not judged, and low scores as failing", () => {
    const [, hostile] = makeEvalResult().examples;
    expect(isFailingScore(hostile!.scores["qa.facts"]!)).toBe(true);
    expect(isFailingScore(hostile!.scores["hallucination.judge"]!)).toBe(false);
    expect(isFailingScore(hostile!.scores["retrieval.ndcg@4"]!)).toBe(false);
  });

  it("puts examples needing attention first, keeping the runner's order otherwise", () => {
    const ids = examplesFailingFirst(makeEvalResult().examples).map((e) => e.exampleId);
    expect(ids).toEqual(["manual-002", "synthetic-003", "manual-001"]);
  });
});
