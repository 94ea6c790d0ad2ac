import type { Turn } from "@/lib/sessions/session-store";
import { findPlaces, findSlots, substituteSlots, type SlotValue } from "./query-slots";

/**
 * Follow-ups rewritten into standalone questions, by rules: "What is the return window?" then
 * "and for opened items?" becomes "What is the return window for opened items?". Routing,
 * retrieval, evidence selection and the answer's question then all see the narrowed question,
 * where searching with the previous question beside the follow-up let the previous question's
 * passages win and the answer came back unchanged. Rules, not the model: SmolLM2-135M cannot
 * be trusted to rewrite a question without changing it, and a rule that does not apply leaves
 * the message as it is.
 *
 * A follow-up is merged when it opens like one ("and …", "what about …", "how about …", "same
 * for …", "what if …", "compared with …") and what follows is a qualifier, not a question of
 * its own: a typed value (quarter, year, month, region, product, error code, percentage, place)
 * replaces the previous question's value of that kind; any other qualifier is appended, in
 * place of the one an earlier follow-up appended ("and for drones?" after "and for opened
 * items?" asks about drones instead). A qualifier that only points back ("and for those?",
 * "what about that?") is not merged: there is nothing to merge.
 */

export interface QueryRewrite {
  /** What routing, retrieval and the answer use: the message, or the standalone question it was merged into. */
  query: string;
  /** Whether the message was merged into the previous question. */
  rewritten: boolean;
  /** The previous question as it stands on its own (itself a rewrite when it was a follow-up). */
  previousQuestion?: string;
}

/** A question as it stands on its own: its own words, and the qualifier a follow-up appended. */
interface Standalone {
  base: string;
  qualifier?: string;
  end: string;
}

const FILLER = /^(?:ok(?:ay)?|so|right|hmm+|well|oh|great|cool|sure|alright|now|then|also|but|and)\b[,.!]?\s*/i;
// "what if …" keeps its "if": the clause is the qualifier.
const OPENER = /^(?:(?:what|how)\s+about|what\s+of|(?:do\s+)?(?:the\s+)?same(?:\s+(?:question|thing))?(?:\s+again)?|what(?=\s+if\b))\b\s*/i;
const COMPARE =
  /^(?:(?:and\s+)?how\s+(?:does|do|did|is|was)\s+(?:that|it|this)\s+)?(?:compare[sd]?|vs\.?|versus)\b\s*(?:(?:to|with)\b\s*)?/i;
const TRAILING = /(?:[\s,]+(?:too|as well|instead|then|please|pls|again))*[\s?!.]*$/i;
const QUESTION_START =
  /^(?:what|which|who|whom|whose|why|where|how|is|are|am|do|does|did|can|could|will|would|should|shall|may|might|was|were|has|have|had)\b/i;
const CLAUSE_START =
  /^(?:if|when|whenever|while|unless|once|after|before|without|with|during|under|over|in|on|at|for|from|to|by|within|outside|inside|via|through)\b/i;
const POINTS_BACK =
  /\b(?:it|its|that|this|those|these|them|they|him|her|other|others|another|else|same|former|latter|before|again|there)\b/i;
const SMALL_TALK =
  /^(?:thanks?|thank\s+you|thx|ty|cheers|bye|goodbye|hi|hello|hey|yes|yeah|yep|no|nope|ok(?:ay)?|cool|great|nice|perfect|got\s+it)\b/i;
// Words that say nothing of their own: a qualifier or a turn made only of these points back.
const EMPTY_WORDS = new Set(
  (
    "a an the one ones of some any all each both first second third next previous bigger smaller cheaper newer older larger " +
    "faster better worse it its that this those these them they him her other others another else same again " +
    "i you we me my your our is are was were be do does did can could will would should much many what which who how why " +
    "when where there here please pls too also just about and or but so ok okay thanks thank hi hello hey yes no"
  ).split(" "),
);
const MAX_QUALIFIER_WORDS = 10;
// A qualifier without a preposition is a noun phrase ("opened items", "the R200"); a longer one,
// or one with figures that are not typed values ("2434248 divided by 3"), is a request of its own.
const MAX_NOUN_PHRASE_WORDS = 4;

/** The qualifier a follow-up adds ("for opened items", "in Q3", "compared with Q2"), or undefined when it is not one. */
export function followUpQualifier(message: string): { text: string; compare: boolean } | undefined {
  let text = message.trim();
  const opened = FILLER.test(text) || OPENER.test(text) || COMPARE.test(text);
  if (!opened) return undefined;
  while (FILLER.test(text) && !COMPARE.test(text)) {
    const next = text.replace(FILLER, "");
    if (next === text) break;
    text = next;
  }
  const compare = COMPARE.test(text);
  text = compare ? text.replace(COMPARE, "") : text.replace(OPENER, "");
  text = text.replace(TRAILING, "").trim();
  if (text === "" || text.split(/\s+/).length > MAX_QUALIFIER_WORDS) return undefined;
  // "and what is the warranty?" is a question of its own; "and when opened?" is a qualifier.
  if (QUESTION_START.test(text) && !/^when\s+(?!(?:is|are|do|does|did|can|will|was|were)\b)/i.test(text)) return undefined;
  const clause = /^(?:if|when|whenever|while|unless|once|after|before)\b/i.test(text);
  if ((!clause && POINTS_BACK.test(text)) || SMALL_TALK.test(text)) return undefined;
  if (contentWords(text).length === 0) return undefined;
  if (!clause && !compare && !CLAUSE_START.test(text)) {
    if (text.split(/\s+/).length > MAX_NOUN_PHRASE_WORDS) return undefined;
    if (/\d/.test(text) && findSlots(text).length === 0) return undefined;
  }
  return { text: compare ? `compared with ${text}` : text, compare };
}

const contentWords = (text: string) =>
  (text.toLowerCase().match(/[a-z0-9%]+/g) ?? []).filter((w) => !EMPTY_WORDS.has(w) && !CLAUSE_START.test(w));

function parse(question: string): Standalone {
  const trimmed = question.trim();
  return { base: trimmed.replace(/[\s?!.]+$/, ""), end: trimmed.endsWith(".") ? "." : "?" };
}

const render = (s: Standalone) => `${s.base}${s.qualifier ? ` ${s.qualifier}` : ""}${s.end}`;

/** Typed values of a qualifier, or a bare proper name ("Japan", "to Japan") as a place. */
function qualifierValues(qualifier: string): SlotValue[] {
  const typed = findSlots(qualifier);
  if (typed.length > 0) return typed;
  const places = findPlaces(qualifier);
  if (places.length > 0) return places;
  const bare = /^(?:the\s+)?((?:[A-Z][a-z]+)(?:\s+[A-Z][a-z]+)*)$/.exec(qualifier);
  return bare ? [{ kind: "place", text: bare[1]!, index: 0 }] : [];
}

/** The previous question with the follow-up merged in, or undefined when the follow-up does not merge. */
function merge(previous: Standalone, message: string): Standalone | undefined {
  const qualifier = followUpQualifier(message);
  if (!qualifier) return undefined;
  if (!qualifier.compare) {
    const values = qualifierValues(qualifier.text);
    const swapped = values.length > 0 ? substituteSlots(render({ ...previous, end: "" }), values) : undefined;
    if (swapped) {
      const extra = swapped.missing.map((v) => `${prepositionBefore(qualifier.text, v) ?? "in"} ${v.text}`).join(" ");
      return { base: [swapped.text, extra].filter(Boolean).join(" "), end: previous.end };
    }
  }
  // Appended, not put in place of a phrase of the question: "the restocking fee for returns" must keep "returns".
  const text = CLAUSE_START.test(qualifier.text) || qualifier.compare ? qualifier.text : `for ${qualifier.text}`;
  return { ...previous, qualifier: text };
}

function prepositionBefore(text: string, value: SlotValue): string | undefined {
  return /\b(in|for|from|to|at|during|by|on)\s+$/i.exec(text.slice(0, value.index))?.[1];
}

/** Whether a message asks something of its own (two words or more that do not point back), rather than only pointing back. */
function hasOwnContent(message: string): boolean {
  return contentWords(message).length >= 2;
}

/**
 * The previous question as it stands on its own: the conversation's user turns folded, each
 * follow-up merged into the question before it, a new question starting afresh, a message
 * that neither merges nor asks anything new ("thanks", "what about it?") leaving it as it was.
 */
function previousStandalone(history: readonly Turn[]): Standalone | undefined {
  let current: Standalone | undefined;
  for (const turn of history.slice(-6)) {
    const merged = current ? merge(current, turn.user) : undefined;
    if (merged) current = merged;
    else if (!current || hasOwnContent(turn.user)) current = parse(turn.user);
  }
  return current;
}

/** The turn's query: the message, or the follow-up merged into the previous question. */
export function rewriteQuery(message: string, history: readonly Turn[]): QueryRewrite {
  const previous = previousStandalone(history);
  if (!previous) return { query: message, rewritten: false };
  const previousQuestion = render(previous);
  const merged = merge(previous, message);
  return merged ? { query: render(merged), rewritten: true, previousQuestion } : { query: message, rewritten: false, previousQuestion };
}
