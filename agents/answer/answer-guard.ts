import { checkClaims, type Claim } from "@/lib/quality/claims";
import { isAbstention, normalizeText } from "@/lib/quality/text";
import { evidenceText, type Evidence } from "../evidence";
import { identifiersIn } from "./abstention";

/**
 * The check between the model's text and the user. Every number, date and name of a generated
 * answer must occur in the evidence units the model was given (or in the question), and the
 * units that carry them are quoted under the answer, so whatever figure is shown stands next
 * to the sentence it came from. When a claim is in none of them the text is not shown: the
 * user gets the evidence itself, quoted with its source. Checking against the few units the
 * model read, not every retrieved passage, also catches a figure copied from the wrong place.
 * The 135M model copies the wrong figure or invents one often enough that an unchecked answer
 * is a guess.
 */
export type GuardVerdict = "supported" | "repaired" | "abstained";

export interface GuardedAnswer {
  /** What the user reads; empty when abstained: the caller words the decline, since it knows what was searched. */
  text: string;
  verdict: GuardVerdict;
  /** Claims of the model's text found in no evidence unit (empty unless repaired). */
  unsupported: Claim[];
  /** Which signal decided: "supported", "unsupported_claims", "other_subject", "model_declined". */
  reason: string;
}

export interface GuardInput {
  question: string;
  /** The model's text, in full. */
  draft: string;
  /** The evidence units the model was given, best last (see ../evidence.ts). */
  evidence: readonly Evidence[];
}

/** `“sentence” (Title)`: a quote the user can check against the listed sources. */
export function quote(e: Pick<Evidence, "sentence" | "title">): string {
  return `“${e.sentence}” (${e.title})`;
}

/** The units that state a claim word for word (the claim check's rounding would let "2-year" carry "1.7"). */
function carrying(claims: readonly Claim[], evidence: readonly Evidence[]): Evidence[] {
  const stated = claims.map((c) => normalizeText(c.text));
  return evidence.filter((e) => {
    const text = normalizeText(evidenceText(e));
    return stated.some((claim) => text.includes(claim));
  });
}

/**
 * The quotes under a supported answer, best first: the best unit always (when the model copied
 * a figure from a weaker one, the user still sees the likeliest answer), then the units its
 * claims came from.
 */
function quotedEvidence(claims: readonly Claim[], evidence: readonly Evidence[]): Evidence[] {
  const best = [...evidence].reverse();
  return [...new Set([...best.slice(0, 1), ...carrying(claims, best)])].slice(0, 2);
}

/**
 * Figures taken from a unit about something else: the question names a product or code
 * ("S20") and the unit a number came from names none of them ("On the 2025 price list it costs
 * $4,750", of the S10). Every claim is in the evidence, and the answer is still wrong.
 */
function otherSubjectFigures(question: string, claims: readonly Claim[], evidence: readonly Evidence[]): boolean {
  const named = identifiersIn(question);
  const numbers = claims.filter((c) => c.kind === "number");
  if (named.length === 0 || numbers.length === 0) return false;
  const sources = carrying(numbers, evidence);
  return sources.length > 0 && sources.every((e) => !identifiersIn(evidenceText(e)).some((id) => named.includes(id)));
}

/** What the user reads when the draft failed the check: the two best evidence units, best first. */
export function repairText(evidence: readonly Evidence[]): string {
  const best = [...evidence].reverse().slice(0, 2);
  return ["I couldn't check a generated answer against the documents, so here is what they say:", ...best.map((e) => `- ${quote(e)}`)].join(
    "\n",
  );
}

export function guardAnswer(input: GuardInput): GuardedAnswer {
  const draft = input.draft.trim();
  if (isAbstention(draft)) return { text: "", verdict: "abstained", unsupported: [], reason: "model_declined" };
  const { claims, unsupported } = checkClaims(draft, [...input.evidence.map(evidenceText), input.question]);
  if (unsupported.length > 0 || draft === "") {
    return { text: repairText(input.evidence), verdict: "repaired", unsupported, reason: "unsupported_claims" };
  }
  if (otherSubjectFigures(input.question, claims, input.evidence)) {
    // The evidence about what was asked holds no such figure: that is "the documents do not say".
    return { text: "", verdict: "abstained", unsupported: [], reason: "other_subject" };
  }
  const quotes = quotedEvidence(claims, input.evidence).map((e) => `Source: ${quote(e)}`);
  return { text: [draft, ...quotes].join("\n\n"), verdict: "supported", unsupported: [], reason: "supported" };
}
