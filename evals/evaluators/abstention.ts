import { hasTag, makeScore, syncEvaluate } from "./score";
import { isAbstention } from "@/lib/quality/text";
import type { Evaluator } from "./types";

/**
 * qa.abstain (CODE): on questions the corpus cannot answer (tag `unanswerable`) the right
 * answer is "I don't know" (agents/prompts.ts NO_ANSWER) or a paraphrase of it; anything else
 * is an invented answer.
 */
export function abstentionEvaluator(): Evaluator {
  return {
    name: "qa.abstain",
    kind: "CODE",
    appliesTo: (c) => hasTag(c, "unanswerable"),
    evaluate: syncEvaluate((c) => {
      return isAbstention(c.answer)
        ? makeScore(1, "abstained", "The question is unanswerable from the corpus and the answer says so.")
        : makeScore(0, "answered", `The question is unanswerable from the corpus, yet the answer gives one: "${c.answer.slice(0, 160)}".`);
    }),
  };
}
