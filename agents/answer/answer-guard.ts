import { checkClaims, type Claim } from "@/lib/quality/claims";
import { isAbstention, normalizeText } from "@/lib/quality/text";
import { evidenceText, type Evidence } from "../evidence";

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
  text: string;
  verdict: GuardVerdict;
  /** Claims of the model's text found in no evidence unit (empty unless repaired). */
  unsupported: Claim[];
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

/** The units that carry the draft's claims, best first; the best unit when it makes none. */
function supportingEvidence(claims: readonly Claim[], evidence: readonly Evidence[]): Evidence[] {
  const best = [...evidence].reverse();
  // A unit carries a claim it states word for word; the claim check's rounding would let "2-year" carry "1.7".
  const carrying = best.filter((e) => claims.some((c) => normalizeText(evidenceText(e)).includes(normalizeText(c.text))));
  return carrying.length > 0 ? carrying.slice(0, 2) : best.slice(0, 1);
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
  if (isAbstention(draft)) return { text: draft, verdict: "abstained", unsupported: [] };
  const { claims, unsupported } = checkClaims(draft, [...input.evidence.map(evidenceText), input.question]);
  if (unsupported.length > 0 || draft === "") {
    return { text: repairText(input.evidence), verdict: "repaired", unsupported };
  }
  const quotes = supportingEvidence(claims, input.evidence).map((e) => `Source: ${quote(e)}`);
  return { text: [draft, ...quotes].join("\n\n"), verdict: "supported", unsupported: [] };
}
