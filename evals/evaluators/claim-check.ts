import { checkClaims } from "./claims";
import { groundingSources, hasAnswer, makeScore, preview } from "./score";
import { isAbstention } from "./text";
import type { EvalCase, EvalScore, Evaluator } from "./types";

/**
 * hallucination.claims (CODE): the numbers, dates and names of the answer that no retrieved
 * chunk (nor a tool's output, nor the question) contains. Score = supported claims / claims;
 * label "unsupported_claims" as soon as one claim is unsupported. Cheap and explainable: it
 * names what looks invented. It cannot see a wrong relation between supported words ("Delhi"
 * said of the wrong company), which is what the faithfulness judge is for.
 */

export function scoreClaims(answer: string, sources: readonly string[]): EvalScore {
  const { claims, unsupported } = checkClaims(answer, sources);
  if (claims.length === 0) {
    return makeScore(1, "no_claims", "The answer states no number, date or name to check.", { claims: 0, unsupported: 0 });
  }
  const supported = claims.length - unsupported.length;
  const details = { claims: claims.length, unsupported: unsupported.length };
  if (unsupported.length === 0) {
    return makeScore(1, "supported", `All ${claims.length} numbers, dates and names appear in the sources.`, details);
  }
  return makeScore(
    supported / claims.length,
    "unsupported_claims",
    `${unsupported.length} of ${claims.length} claims appear in no source: ${preview(unsupported.map((c) => `${c.kind}: ${c.text}`))}.`,
    details,
  );
}

export function claimCheckEvaluator(): Evaluator {
  return {
    name: "hallucination.claims",
    kind: "CODE",
    appliesTo: (c: EvalCase) => c.retrieved.length > 0 && hasAnswer(c),
    async evaluate(c) {
      // "I don't know" asserts nothing, so it cannot invent anything.
      if (isAbstention(c.answer)) return makeScore(1, "abstained", "The answer declines to answer; nothing to check.");
      return scoreClaims(c.answer, groundingSources(c));
    },
  };
}
