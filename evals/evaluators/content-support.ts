import { contentSupport } from "@/lib/quality/content-support";
import { isAbstention } from "@/lib/quality/text";
import { groundingOf, hasAnswer, makeScore, preview, syncEvaluate } from "./score";
import type { EvalCase, Evaluator } from "./types";

/**
 * Above this share of content words found in no source, an answer counts as hallucinated.
 * Chosen on the dev half of HaluEval QA (`npm run eval:judges -- --split dev`): any unsupported
 * content word (0) gave the best F1 there; the test half's figures are in
 * evals/judges/qualification.json.
 */
export const UNSUPPORTED_CONTENT_AT = 0;

/**
 * hallucination.support (CODE): 1 when the sources (chunks, tool outputs, the question) carry
 * every content word of the answer, 0 when some are found in none; the label names them.
 * Offline and deterministic, and unlike the claim check it sees invented words of any kind.
 */
export function contentSupportEvaluator(): Evaluator {
  return {
    name: "hallucination.support",
    kind: "CODE",
    judge: { kind: "CODE", version: `support@1:unsupported>${UNSUPPORTED_CONTENT_AT}` },
    appliesTo: (c: EvalCase) => (c.retrieved.length > 0 || c.toolOutputs.length > 0) && hasAnswer(c),
    evaluate: syncEvaluate((c) => {
      if (isAbstention(c.answer)) return makeScore(1, "abstained", "The answer declines to answer; nothing to check.");
      const support = contentSupport(c.answer, groundingOf(c));
      const supported = support.ratio <= UNSUPPORTED_CONTENT_AT;
      const explanation = supported
        ? `Every content word of the answer is in the sources (${support.words} words).`
        : `${support.unsupported.length} content word(s) in no source: ${preview(support.unsupported)}.`;
      return makeScore(supported ? 1 : 0, supported ? "supported" : "unsupported_content", explanation, {
        words: support.words,
        unsupported: support.unsupported.length,
        ratio: Number(support.ratio.toFixed(4)),
      });
    }),
  };
}
