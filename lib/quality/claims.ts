import { extractNumbers, normalizeText, numberIn, type NumberMention } from "./text";

/**
 * The checkable atoms of an answer: numbers, dates and names. A hallucinated answer usually
 * invents one of these (a wrong year, a figure, a person or a place), and each can be checked
 * against the sources without a model: a claim is supported when it occurs in some source.
 */

export type ClaimKind = "number" | "date" | "name";

export interface Claim {
  kind: ClaimKind;
  text: string;
}

export interface ClaimCheck {
  claims: Claim[];
  unsupported: Claim[];
}

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const MONTH_NAME =
  "(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?";
// "March 2, 1991", "2 March 1991", "March 1991", "2025-03-02", "Q3 2025", "2025-Q3".
const DATE = new RegExp(
  [
    `\\b${MONTH_NAME}\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}\\b`,
    `\\b\\d{1,2}(?:st|nd|rd|th)?\\s+${MONTH_NAME}\\s+\\d{4}\\b`,
    `\\b${MONTH_NAME}\\s+\\d{4}\\b`,
    "\\b\\d{4}-\\d{2}-\\d{2}\\b",
    "\\bQ[1-4]\\s+\\d{4}\\b",
    "\\b\\d{4}-Q[1-4]\\b",
  ].join("|"),
  "gi",
);

interface DateParts {
  year?: number;
  month?: number;
  day?: number;
  quarter?: number;
}

function monthIndex(word: string): number | undefined {
  const w = word.toLowerCase().replace(/\.$/, "");
  const index = MONTHS.findIndex((m) => m.startsWith(w.slice(0, 3)));
  return index >= 0 ? index + 1 : undefined;
}

export function parseDate(text: string): DateParts {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (iso) return { year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) };
  const quarter = /Q([1-4])\s+(\d{4})|(\d{4})-Q([1-4])/i.exec(text);
  if (quarter) return { quarter: Number(quarter[1] ?? quarter[4]), year: Number(quarter[2] ?? quarter[3]) };
  const word = /[A-Za-z]+/.exec(text)?.[0] ?? "";
  const numbers = (text.match(/\d+/g) ?? []).map(Number);
  const year = numbers.find((n) => n >= 1000);
  const day = numbers.find((n) => n < 32);
  return { year, month: monthIndex(word), day };
}

function sameDate(a: DateParts, b: DateParts): boolean {
  const keys = ["year", "month", "day", "quarter"] as const;
  // Every part the claim states must be stated the same way by the source.
  return keys.every((k) => a[k] === undefined || a[k] === b[k]);
}

// Capitalised words, joined by the particles names contain ("Bank of America", "van Houten"),
// and product-style identifiers ("R100", "A1", "GPT-4").
const NAME =
  /\b(?:[A-Z][\p{L}'’-]*[\p{L}]|[A-Z]+\d[\w-]*|[A-Z]\d*)(?:\s+(?:(?:of|the|de|da|van|von|der|la|le|del|and|for|y)\s+)*(?:[A-Z][\p{L}'’-]*[\p{L}]|[A-Z]+\d[\w-]*))*/gu;
/** Capitalised words that start sentences or are titles, not names. */
const NOT_NAMES = new Set(
  (
    "a an the this that these those it its there their they he she his her we our you your i my me " +
    "yes no not none and or but so if when while after before because although however therefore also " +
    "in on at by for from with to of as is are was were be been has have had do does did can could will would should may might " +
    "here what which who whom whose where why how all some many most each every any both either neither " +
    "answer question response summary note context source facts according based overall first second third finally " +
    "mr mrs ms dr sir president king queen prince saint st"
  ).split(" "),
);

/** Whether `index` starts a sentence (text start, or after ". ", "! ", "? ", ": ", a line break, a bullet). */
function startsSentence(text: string, index: number): boolean {
  const before = text.slice(0, index).replace(/["'([*\-\s\u2022]+$/u, "");
  return before === "" || /[.!?:;\n]$/.test(before) || /(^|\n)\s*\d+[.)]$/.test(before);
}

/**
 * Capitalised word sequences. A single capitalised word that opens a sentence ("Sales grew…")
 * is usually not a name, so it only counts when the answer is that short (an answer of one to
 * three words, like "Delhi", is the name itself).
 */
export function extractNames(text: string): string[] {
  const names: string[] = [];
  const shortAnswer = text.trim().split(/\s+/).length <= 3;
  for (const match of text.matchAll(NAME)) {
    const words = match[0].split(/\s+/);
    const index = match.index ?? 0;
    // Drop leading words that are titles or sentence openers ("The", "President").
    while (words.length > 0 && NOT_NAMES.has(words[0]!.toLowerCase())) words.shift();
    // …and trailing particles ("Bank of" from "Bank of the").
    while (words.length > 0 && NOT_NAMES.has(words.at(-1)!.toLowerCase())) words.pop();
    if (words.length === 0) continue;
    const name = words.join(" ");
    // A lone capital letter ("I", "A") says nothing.
    if (name.length < 2) continue;
    const opensSentence = words.length === match[0].split(/\s+/).length && startsSentence(text, index);
    if (opensSentence && words.length === 1 && !/\d/.test(name) && !shortAnswer) continue;
    names.push(name);
  }
  return names;
}

function nameWords(name: string): string[] {
  return normalizeText(name)
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0 && !NOT_NAMES.has(w));
}

/**
 * A name is supported when the sources contain it, or contain each of its words: "Richard
 * Nixon" is supported by "President Richard Nixon", "Nixon" by "Richard Nixon". A possessive
 * ("Oberoi's") counts as the name.
 */
function nameSupported(name: string, sourceText: string, sourceWords: ReadonlySet<string>): boolean {
  if (sourceText.includes(normalizeText(name))) return true;
  const words = nameWords(name).map((w) => w.replace(/'s$/, ""));
  return words.length > 0 && words.every((w) => sourceWords.has(w) || sourceWords.has(w.replace(/s$/, "")));
}

/** Splits text into dates, then numbers and names outside those dates. */
export function extractClaims(text: string): Claim[] {
  const claims: Claim[] = [];
  let rest = text;
  for (const match of text.matchAll(DATE)) {
    claims.push({ kind: "date", text: match[0] });
    rest = rest.replace(match[0], " ");
  }
  for (const n of extractNumbers(rest)) claims.push({ kind: "number", text: n.text });
  for (const name of extractNames(rest)) claims.push({ kind: "name", text: name });
  return claims;
}

/**
 * Checks every number, date and name of `answer` against `sources`. Dates may be written
 * differently ("2 March 1991" vs "March 2, 1991"); numbers may be rounded or scaled ("$181.7
 * million" vs "$ 181,674,817"); a date's year alone also counts when the source states it as a
 * number.
 */
export function checkClaims(answer: string, sources: readonly string[]): ClaimCheck {
  const joined = sources.join("\n");
  const sourceText = normalizeText(joined);
  const sourceWords = new Set(
    sourceText
      .split(/[^a-z0-9]+/)
      .filter(Boolean)
      .map((w) => w.replace(/'s$/, "")),
  );
  const sourceNumbers: NumberMention[] = extractNumbers(joined);
  const sourceDates = [...joined.matchAll(DATE)].map((m) => parseDate(m[0]));
  const claims = extractClaims(answer);
  const unsupported = claims.filter((claim) => {
    switch (claim.kind) {
      case "number": {
        const [mention] = extractNumbers(claim.text);
        return mention !== undefined && !numberIn(mention, sourceNumbers);
      }
      case "date": {
        const parts = parseDate(claim.text);
        if (sourceDates.some((d) => sameDate(parts, d))) return false;
        // "in March 1991" against a source saying "(born March 2, 1991)" is handled above; a
        // bare year in the source ("founded in 1991") supports a claim that only adds the month
        // when the month is in the source too.
        const yearStated = parts.year !== undefined && sourceNumbers.some((n) => n.value === parts.year);
        const monthStated = parts.month === undefined || sourceText.includes(MONTHS[parts.month - 1]!.slice(0, 3));
        return !(yearStated && monthStated && parts.day === undefined);
      }
      case "name":
        return !nameSupported(claim.text, sourceText, sourceWords);
    }
  });
  return { claims, unsupported };
}
