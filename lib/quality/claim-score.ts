import { checkClaims } from "./claims";

/**
 * The deterministic claim check as a score: the share of the answer's numbers, dates and names
 * that some source contains; labelled "unsupported_claims" as soon as one is missing. Used by
 * the eval evaluator `hallucination.claims` (evals/evaluators/claim-check.ts) and by the online
 * evaluation of production answers (agents/online-eval.ts), so both say the same of an answer.
 */

export interface ClaimScore {
  /** Supported claims / claims, 1 when there is nothing to check. */
  score: number;
  label: "no_claims" | "supported" | "unsupported_claims";
  explanation: string;
  claims: number;
  unsupported: number;
}

/** `"a", "b" and 2 more` for explanations. */
function preview(items: readonly string[], max = 5): string {
  const shown = items.slice(0, max).map((s) => JSON.stringify(s));
  return items.length > max ? `${shown.join(", ")} and ${items.length - max} more` : shown.join(", ");
}

export function claimScore(answer: string, sources: readonly string[]): ClaimScore {
  const { claims, unsupported } = checkClaims(answer, sources);
  if (claims.length === 0) {
    return { score: 1, label: "no_claims", explanation: "The answer states no number, date or name to check.", claims: 0, unsupported: 0 };
  }
  if (unsupported.length === 0) {
    return {
      score: 1,
      label: "supported",
      explanation: `All ${claims.length} numbers, dates and names appear in the sources.`,
      claims: claims.length,
      unsupported: 0,
    };
  }
  return {
    score: (claims.length - unsupported.length) / claims.length,
    label: "unsupported_claims",
    explanation: `${unsupported.length} of ${claims.length} claims appear in no source: ${preview(unsupported.map((c) => `${c.kind}: ${c.text}`))}.`,
    claims: claims.length,
    unsupported: unsupported.length,
  };
}
