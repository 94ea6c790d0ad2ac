/**
 * Text helpers shared by the deterministic evaluators (evals/evaluators) and the online
 * evaluation of production answers (agents/online-eval.ts): normalisation, content words,
 * numbers and abstention. In lib/ so both can use them. Pure functions; no I/O.
 */

/** Lower case, no diacritics, straight quotes, "&" as "and", single spaces. */
export function normalizeText(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[\u2018\u2019\u201b\u2032]/g, "'")
    .replace(/[\u201c\u201d\u201f\u2033]/g, '"')
    .replace(/[\u2010-\u2015]/g, "-")
    .replace(/&/g, " and ")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

// Function words only: content words are what a fact or a claim is made of.
const STOPWORDS = new Set(
  (
    "a an the and or but nor of to in on at by for from with without into onto over under about as is are was were be been being " +
    "it its it's this that these those there here their they them he she his her him we our us you your i me my " +
    "do does did done has have had having will would shall should can could may might must not no yes so than then " +
    "what which who whom whose when where why how all any each every some such very also just only own same other " +
    "per via vs up down out off again further once more most"
  ).split(" "),
);

/** Words of the text without function words, normalised; a crude stem drops a plural "s". */
export function contentWords(text: string): string[] {
  // "a 3-year warranty" states "3 years": a number joined to its unit is two words.
  const words =
    normalizeText(text)
      .replace(/(\d)-(?=[a-z])/g, "$1 ")
      .match(/[a-z0-9]+(?:['.-][a-z0-9]+)*/g) ?? [];
  // "the family's" is about the family.
  return words
    .map((w) => w.replace(/'s$/, ""))
    .filter((w) => !STOPWORDS.has(w))
    .map(stem);
}

/** A crude stemmer: enough for "covers" / "covering" / "covered" to meet; both sides get the same. */
function stem(word: string): string {
  if (/\d/.test(word)) return word;
  if (word.length > 4 && word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.length > 5 && word.endsWith("ing")) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith("ed")) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss")) return word.slice(0, -1);
  return word;
}

const SCALE: Record<string, number> = {
  thousand: 1e3,
  k: 1e3,
  million: 1e6,
  m: 1e6,
  mn: 1e6,
  billion: 1e9,
  bn: 1e9,
  b: 1e9,
  trillion: 1e12,
};

export interface NumberMention {
  /** The text as written, e.g. "$1,290", "12%", "3.5 million". */
  text: string;
  /** The number as written: "3.5 million" → 3.5. */
  value: number;
  /** The number with its scale word applied: "3.5 million" → 3 500 000 (same as `value` without one). */
  scaled: number;
  /** One unit of the last written digit, scaled: "3.5 million" → 100 000; "1,290" → 1. */
  precision: number;
  index: number;
}

// A number not glued to letters on its left (so "R100", "Q3" and "GPT-4" are names, not numbers),
// with thousands separators, decimals and an optional scale word.
const NUMBER = /(?<![A-Za-z0-9_.]|[A-Za-z]-)[-\u2212]?\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![A-Za-z0-9_.,]|[A-Za-z]-)[-\u2212]?\d+(?:\.\d+)?/g;
const SCALE_AFTER = /^\s?(thousand|million|billion|trillion|mn|bn|k|m|b)\b/i;

/** The text with its numbers blanked out (not the digits of names such as "R100"). */
export function withoutNumbers(text: string): string {
  return text.replace(NUMBER, " ");
}

/** Every number in the text, with the value a scale word ("million", "k") gives it. */
export function extractNumbers(text: string): NumberMention[] {
  const found: NumberMention[] = [];
  for (const match of text.matchAll(NUMBER)) {
    const raw = match[0];
    const index = match.index ?? 0;
    const after = text.slice(index + raw.length);
    // "3rd", "10x", "5G": a number glued to letters is part of a word, except a scale word.
    const scaleMatch = SCALE_AFTER.exec(after);
    if (!scaleMatch && /^[A-Za-z]/.test(after)) continue;
    const digits = raw.replace(/,/g, "").replace("\u2212", "-");
    const value = Number(digits);
    if (!Number.isFinite(value)) continue;
    const scale = scaleMatch ? (SCALE[scaleMatch[1]!.toLowerCase()] ?? 1) : 1;
    const decimals = digits.includes(".") ? digits.length - digits.indexOf(".") - 1 : 0;
    found.push({ text: raw + (scaleMatch?.[0] ?? ""), value, scaled: value * scale, precision: 10 ** -decimals * scale, index });
  }
  return found;
}

/**
 * Whether two mentions state the same figure, to the precision of the coarser one: "$181.7
 * million" matches 181,674,817 (rounded) and "$181 million" too (truncated), but 1,290 does not
 * match 1,295 and 1844 does not match 1846. Raw values are compared as well, so "160 million"
 * matches a "160" written next to "(millions)".
 */
export function sameNumber(a: NumberMention, b: NumberMention): boolean {
  if (a.value === b.value || a.scaled === b.scaled) return true;
  const unit = Math.max(a.precision, b.precision);
  return Math.abs(a.scaled - b.scaled) < unit - 1e-9;
}

/** Whether `number` equals any number mentioned in `pool`. */
export function numberIn(number: NumberMention, pool: readonly NumberMention[]): boolean {
  return pool.some((p) => sameNumber(number, p));
}

// What the agent says when the facts do not answer (agents/prompts.ts NO_ANSWER), and the
// usual paraphrases of it by other models.
const ABSTENTION = [
  /\bi (?:do not|don't|dont) know\b/,
  /\bi (?:do not|don't) have (?:enough |that |any |the )?(?:information|data|details)\b/,
  /\b(?:cannot|can't|can not|unable to|could not|couldn't) (?:find|answer|determine|tell|say)\b/,
  /\b(?:no|not enough) (?:information|data|details|facts) (?:about|on|in|to|regarding)\b/,
  /\bnot (?:mentioned|stated|found|covered|given|provided|available) in the (?:facts|context|documents?|knowledge base|sources?)\b/,
  /\bthe (?:facts|context|documents?|sources?) do(?:es)? not (?:say|mention|answer|contain|cover)\b/,
];

/** Whether the answer declines to answer ("I don't know", "the documents do not say"). */
export function isAbstention(answer: string): boolean {
  const text = normalizeText(answer);
  if (text === "") return true;
  return ABSTENTION.some((pattern) => pattern.test(text));
}
