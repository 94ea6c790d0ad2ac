import { describe, expect, it } from "vitest";
import { ScriptedChatModel } from "@/lib/llm/scripted-chat-model";
import { allEvaluators, evaluateCase, type Evaluator } from "./index";
import { chunk, makeCase } from "@/test-support/evals/eval-cases";

describe("allEvaluators", () => {
  it("registers every evaluator once, CODE and LLM", () => {
    const evaluators = allEvaluators({ k: 4 });
    const names = evaluators.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining([
        "retrieval.ndcg@4",
        "hallucination.claims",
        "hallucination.judge",
        "qa.facts",
        "qa.numbers",
        "qa.judge",
        "qa.abstain",
        "toxicity.lexicon",
        "toxicity.judge",
        "summarization.coverage",
        "summarization.faithfulness",
        "code.tests",
        "code.readability",
        "routing.match",
        "latency",
        "cost",
      ]),
    );
    expect(allEvaluators({ kinds: ["CODE"] }).every((e) => e.kind === "CODE")).toBe(true);
  });
});

describe("evaluateCase", () => {
  it("runs only the evaluators that apply to the case's tags and expectations", async () => {
    const judge = new ScriptedChatModel({ script: () => ({ json: { score: 5, reason: "ok" } }) });
    const c = makeCase({
      answer: "Rocket skates carry a 3-year warranty.",
      route: "knowledge_base_search",
      retrieved: [chunk("warranty", "All ACME rocket skates carry a 3-year limited warranty.")],
      costUsd: 0,
      example: { tags: ["retrieval"], expected: { docIds: ["warranty"], route: "knowledge_base_search", facts: ["3-year warranty"] } },
    });
    const scores = await evaluateCase(c, allEvaluators({ k: 4, kinds: ["CODE"] }), { judge });
    expect(scores.map((s) => s.evaluator)).toEqual([
      "retrieval.hit@4",
      "retrieval.precision@4",
      "retrieval.recall@4",
      "retrieval.mrr",
      "retrieval.ndcg@4",
      "hallucination.claims",
      "hallucination.support",
      "qa.facts",
      "qa.numbers",
      "toxicity.lexicon",
      "toxicity.learned",
      "routing.match",
      "latency",
      "cost",
    ]);
    expect(scores.find((s) => s.evaluator === "qa.facts")).toMatchObject({ kind: "CODE", score: 1 });
  });

  it("turns an evaluator that throws into an evaluator_error score", async () => {
    const broken: Evaluator = { name: "broken", kind: "CODE", appliesTo: () => true, evaluate: () => Promise.reject(new Error("boom")) };
    const [score] = await evaluateCase(makeCase(), [broken], {});
    expect(score).toMatchObject({ evaluator: "broken", score: 0, label: "evaluator_error", error: { message: "boom" } });
  });

  it("stops on abort", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(evaluateCase(makeCase(), allEvaluators(), { signal: controller.signal })).rejects.toMatchObject({ code: "aborted" });
  });
});
