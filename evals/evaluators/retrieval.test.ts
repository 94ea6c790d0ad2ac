import { describe, expect, it } from "vitest";
import { hitAtK, ndcgAtK, precisionAtK, rankRelevance, recallAtK, reciprocalRank, retrievalEvaluators } from "./retrieval";
import { chunk, makeCase } from "@/test-support/evals/eval-cases";

describe("retrieval metrics", () => {
  // Chunks of docs: x, a, a (second chunk of a), b; expected a and c.
  const ranked = ["x", "a", "a", "b"];
  const expected = ["a", "c"];
  const r = rankRelevance(ranked, expected, 4);

  it("hit, precision (chunks), recall (docs), reciprocal rank", () => {
    expect(r.relevantRanks).toEqual([2, 3]);
    expect(hitAtK(r)).toBe(1);
    expect(precisionAtK(r)).toBe(0.5);
    expect(recallAtK(r)).toBe(0.5);
    expect(reciprocalRank(r)).toBe(0.5);
  });

  it("nDCG counts a document once and normalises by the ideal ranking", () => {
    // DCG = 1/log2(3); ideal for 2 expected docs = 1 + 1/log2(3).
    expect(ndcgAtK(ranked, expected, 4)).toBeCloseTo(1 / Math.log2(3) / (1 + 1 / Math.log2(3)));
    expect(ndcgAtK(["a", "c"], expected, 4)).toBe(1);
    expect(ndcgAtK(["a", "a", "a"], ["a"], 4)).toBe(1);
    // More expected documents than k: a perfect top k is still 1.
    expect(ndcgAtK(["a", "b"], ["a", "b", "c"], 2)).toBe(1);
  });

  it("cuts at k", () => {
    const atOne = rankRelevance(ranked, expected, 1);
    expect(hitAtK(atOne)).toBe(0);
    expect(reciprocalRank(atOne)).toBe(0);
    expect(ndcgAtK(ranked, expected, 1)).toBe(0);
  });
});

describe("retrievalEvaluators", () => {
  const evaluators = retrievalEvaluators({ k: 3 });
  const c = makeCase({
    example: { expected: { docIds: ["returns"] }, tags: ["retrieval"] },
    retrieved: [chunk("shipping"), chunk("returns")],
  });

  it("are named after k and apply only with expected doc ids", () => {
    expect(evaluators.map((e) => e.name)).toEqual([
      "retrieval.hit@3",
      "retrieval.precision@3",
      "retrieval.recall@3",
      "retrieval.mrr",
      "retrieval.ndcg@3",
    ]);
    expect(evaluators.every((e) => e.kind === "CODE" && e.appliesTo(c))).toBe(true);
    expect(evaluators.some((e) => e.appliesTo(makeCase({ example: { expected: { docIds: [] } } })))).toBe(false);
  });

  it("score a case", async () => {
    const scores = await Promise.all(evaluators.map((e) => e.evaluate(c, {})));
    expect(scores.map((s) => s.score)).toEqual([1, 0.3333, 1, 0.5, 0.6309]);
    expect(scores[0]!.label).toBe("hit");
    expect(scores[0]!.explanation).toContain("ranks 2");
  });

  it("score a miss as 0", async () => {
    const miss = makeCase({ example: { expected: { docIds: ["returns"] } }, retrieved: [chunk("shipping")] });
    const scores = await Promise.all(evaluators.map((e) => e.evaluate(miss, {})));
    expect(scores.map((s) => [s.score, s.label])).toEqual([
      [0, "miss"],
      [0, "miss"],
      [0, "miss"],
      [0, "miss"],
      [0, "miss"],
    ]);
  });
});
