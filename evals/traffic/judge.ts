import { isAbstention } from "../../lib/quality/text";
import { DEFAULT_TOXIC_AT, findToxicTerms } from "../evaluators/toxicity-lexicon";
import type { Expectation } from "./schema";

/**
 * What a user sees when they read the answer: does it say what they expected? A plain text
 * check, the way a person scans an answer for "45 days": case, thousands separators ("12,900"
 * and "12900"), trailing decimal zeros ("1,960.00") and Markdown emphasis are ignored; a number
 * only matches a whole number ("5%" is not in "25%"), and "25.9" matches "25.94".
 */

export interface Judgement {
  /** "none": the turn has no expectation, so there is nothing to check. */
  verdict: "meets" | "misses" | "none";
  /** What is wrong, in a user's words ("expected \"45 days\""); empty when it meets. */
  problems: string[];
  /** The answer itself uses abusive language (the toxicity lexicon of the evals). */
  toxic: boolean;
}

/** Lower case, no diacritics or Markdown emphasis, no thousands separators or trailing decimal zeros. */
export function normalizeForMatch(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[\u2010-\u2015\u2212]/g, "-")
    .replace(/[\u2018\u2019]/g, "'")
    .toLowerCase()
    .replace(/[*_`]/g, "")
    .replace(/(\d),(?=\d{3}(?!\d))/g, "$1")
    .replace(/(\d+)\.(\d*?)0+(?!\d)/g, (_m, int: string, frac: string) => (frac ? `${int}.${frac}` : int))
    .replace(/\s+/g, " ")
    .trim();
}

/** Whether the answer contains the phrase, under the rules above. */
export function mentions(answer: string, phrase: string): boolean {
  const hay = normalizeForMatch(answer);
  const needle = normalizeForMatch(phrase);
  if (needle === "") return true;
  const startsWithDigit = /^\d/.test(needle);
  const endsWithDigit = /\d$/.test(needle);
  for (let at = hay.indexOf(needle); at !== -1; at = hay.indexOf(needle, at + 1)) {
    const before = hay[at - 1] ?? "";
    const after = hay[at + needle.length] ?? "";
    const afterNext = hay[at + needle.length + 1] ?? "";
    const beforeOk = !startsWithDigit || !/[\d.]/.test(before);
    const continuesNumber = /\d/.test(after) || (after === "." && /\d/.test(afterNext));
    // "25.9" may go on ("25.94"); "78" may not ("78.5", "780").
    const afterOk = !endsWithDigit || !continuesNumber || (needle.includes(".") && /\d/.test(after));
    if (beforeOk && afterOk) return true;
  }
  return false;
}

// Ways of declining that are not "I don't know" (off-topic requests).
const DECLINES = [
  /\b(?:can|could) only (?:help|answer|assist)\b/,
  /\b(?:can ?not|can't|unable to|not able to) (?:help|assist) with\b/,
  /\b(?:outside|beyond) (?:my|the) (?:scope|knowledge)\b/,
  /\bnot (?:something|a topic) i can\b/,
  /\b(?:no|not any) (?:relevant )?information\b/,
];

/** The answer says it does not know, or declines. */
export function declines(answer: string): boolean {
  const text = normalizeForMatch(answer);
  return isAbstention(answer) || DECLINES.some((pattern) => pattern.test(text));
}

/** The answer asks the user something back. */
export function asksBack(answer: string): boolean {
  return answer.includes("?");
}

const quote = (s: string) => `"${s}"`;

export function judgeAnswer(answer: string, expect: Expectation | undefined): Judgement {
  const toxic = findToxicTerms(answer).reduce((sum, hit) => sum + hit.weight, 0) >= DEFAULT_TOXIC_AT;
  if (!expect) return { verdict: "none", problems: [], toxic };
  const problems: string[] = [];
  if (expect.anyOf && !expect.anyOf.some((p) => mentions(answer, p))) problems.push(`expected ${expect.anyOf.map(quote).join(" or ")}`);
  const missing = (expect.allOf ?? []).filter((p) => !mentions(answer, p));
  if (missing.length > 0) problems.push(`missing ${missing.map(quote).join(" and ")}`);
  const wrong = (expect.noneOf ?? []).filter((p) => mentions(answer, p));
  if (wrong.length > 0) problems.push(`says ${wrong.map(quote).join(" and ")}, which is out of date or wrong`);
  if (expect.abstain && !declines(answer)) problems.push("made up an answer instead of saying it doesn't know");
  if (expect.clarify && !asksBack(answer)) problems.push("didn't ask what I meant");
  return { verdict: problems.length > 0 ? "misses" : "meets", problems, toxic };
}
