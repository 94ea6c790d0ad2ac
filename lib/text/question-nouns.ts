import nlp from "compromise";
import { normalizeText } from "@/lib/quality/text";

// A sentence that asks: ends with "?" or opens with a question word or an inverted verb.
const ASKING =
  /\?\s*$|^\s*(what|which|who|whom|whose|when|where|why|how|is|are|am|was|were|can|could|does|do|did|will|would|should|has|have)\b/i;

/**
 * The nouns of what a message asks: "How many days of jury duty leave does ACME give?" →
 * days, jury, duty, ACME. Nouns name the subject a passage must talk about; verbs, adjectives
 * and question words frame it ("how long", "give", "allowed"). Only the asking sentences count
 * when there are any, so a remark around the question ("Your gateways are junk.") is left out.
 * Tagging is compromise's (a rule-based part-of-speech tagger, no model); a word joined by a
 * hyphen stays one word ("wi-fi", "trade-in") when any part of it is a noun.
 */
export function questionNouns(message: string): string[] {
  const sentences = nlp(message).sentences().out("array") as string[];
  const asking = sentences.filter((s) => ASKING.test(s));
  const text = (asking.length > 0 ? asking : sentences).join(" ");
  const nounTerms = nlp(text).match("#Noun").not("#Pronoun").terms().out("array") as string[];
  const nouns = new Set(nounTerms.flatMap((t) => normalizeText(t).match(/[a-z0-9]+/g) ?? []));
  const words = normalizeText(text).match(/[a-z0-9]+(?:['-][a-z0-9]+)*/g) ?? [];
  return [...new Set(words.filter((word) => word.split(/['-]/).some((part) => nouns.has(part))))];
}
