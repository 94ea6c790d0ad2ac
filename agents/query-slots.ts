import { CATEGORIES, CHANNELS, REGIONS } from "@/lib/sales/sales-db";

/**
 * Typed values a follow-up swaps into the previous question: "and in Q3?" after a Q2 question
 * means Q3 instead of Q2, not Q2 and Q3. Each kind is found by a pattern; a follow-up's value
 * replaces the previous question's value of the same kind.
 */
export type SlotKind = "quarter" | "year" | "month" | "region" | "channel" | "category" | "product" | "error_code" | "percent" | "place";

export interface SlotValue {
  kind: SlotKind;
  text: string;
  index: number;
}

const MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December";
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const anyOf = (values: readonly string[]) => new RegExp(`\\b(?:${values.map(escape).join("|")})\\b`, "gi");
// Product lines and model codes, typed as users type them: "Roadrunner R100", "r200", "skyhook".
// Q1–Q4 are quarters, never models.
const PRODUCT_LINE = "Roadrunner|SkyHook|TrackPoint|PowerCell|Anvil|Coyote Cloud";
const MODEL_CODE = "(?!Q[1-4]\\b)[A-Z]\\d{1,4}\\b";

// Order matters: a value inside an earlier kind's match is not counted again.
const PATTERNS: readonly [SlotKind, RegExp][] = [
  ["quarter", /\b(?:Q[1-4]|(?:first|second|third|fourth|last) quarter)\b/gi],
  ["year", /\b20\d\d\b/g],
  ["month", new RegExp(`\\b(?:${MONTHS})\\b`, "g")],
  ["region", anyOf(REGIONS)],
  ["channel", anyOf(CHANNELS)],
  ["category", anyOf(CATEGORIES)],
  ["product", new RegExp(`\\b(?:(?:${PRODUCT_LINE})(?:\\s+${MODEL_CODE})?|${MODEL_CODE})`, "gi")],
  ["error_code", /\b[A-Z]{1,3}-\d{2,4}\b/g],
  ["percent", /\b\d+(?:\.\d+)?\s?%/g],
];

/** The typed values in a text, left to right; a value inside an earlier kind's match is not counted again. */
export function findSlots(text: string): SlotValue[] {
  const found: SlotValue[] = [];
  const taken = (index: number, length: number) => found.some((f) => index < f.index + f.text.length && f.index < index + length);
  for (const [kind, pattern] of PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      if (!taken(match.index, match[0].length)) found.push({ kind, text: match[0], index: match.index });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

const PLACE = /\b(in|to|from|at|for|near)\s+((?:[A-Z][a-z]+)(?:\s+[A-Z][a-z]+)*)/g;

/**
 * A place or other proper name after a preposition ("shipping to Germany"), for a follow-up
 * such as "and to Japan?". Sentence-initial words and the typed values above are not places.
 */
export function findPlaces(text: string): (SlotValue & { preposition: string })[] {
  const typed = findSlots(text);
  const places: (SlotValue & { preposition: string })[] = [];
  for (const match of text.matchAll(PLACE)) {
    const name = match[2]!;
    const index = match.index + match[0].length - name.length;
    if (typed.some((t) => index < t.index + t.text.length && t.index < index + name.length)) continue;
    if (/^(?:ACME|I)$/.test(name)) continue;
    places.push({ kind: "place", text: name, index, preposition: match[1]!.toLowerCase() });
  }
  return places;
}

/**
 * The previous question with each of `values` put in place of the value of the same kind it
 * holds. Undefined when the previous question holds none of those kinds (nothing to swap).
 * `missing` lists the values whose kind the previous question lacks.
 */
export function substituteSlots(previous: string, values: readonly SlotValue[]): { text: string; missing: SlotValue[] } | undefined {
  const held = [...findSlots(previous), ...findPlaces(previous)];
  let text = previous;
  let swapped = false;
  const missing: SlotValue[] = [];
  for (const value of values) {
    const target = held.find((h) => h.kind === value.kind);
    if (!target) {
      missing.push(value);
      continue;
    }
    text = text.replace(target.text, value.text);
    swapped = true;
  }
  return swapped ? { text, missing } : undefined;
}
