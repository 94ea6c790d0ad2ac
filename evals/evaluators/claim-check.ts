import { claimScore } from "@/lib/quality/claim-score";
import { groundingOf, hasAnswer, makeScore, syncEvaluate } from "./score";
import { isAbstention } from "@/lib/quality/text";
import type { EvalCase, EvalScore, Evaluator } from "./types";

/**
 * hallucination.claims (CODE): the numbers, dates and names of the answer that no retrieved
 * chunk (nor a tool's output, nor the question) contains. Score = supported claims / claims;
 * label "unsupported_claims" as soon as one claim is unsupported. Cheap and explainable: it
 * names what looks invented. It cannot see a wrong relation between supported words ("Delhi"
 * said of the wrong company), which is what the faithfulness judge is for.
 */

export function scoreClaims(answer: string, sources: readonly string[]): EvalScore {
  const { score, label, explanation, claims, unsupported } = claimScore(answer, sources);
  return makeScore(score, label, explanation, { claims, unsupported });
}

export function claimCheckEvaluator(): Evaluator {
  return {
    name: "hallucination.claims",
    kind: "CODE",
    judge: { kind: "CODE", version: "claims@1" },
    appliesTo: (c: EvalCase) => c.retrieved.length > 0 && hasAnswer(c),
    evaluate: syncEvaluate((c) => {
      // "I don't know" asserts nothing, so it cannot invent anything.
      if (isAbstention(c.answer)) return makeScore(1, "abstained", "The answer declines to answer; nothing to check.");
      return scoreClaims(c.answer, groundingOf(c));
    }),
  };
}
