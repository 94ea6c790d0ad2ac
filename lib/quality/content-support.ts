import { contentWords } from "./text";

export interface ContentSupport {
  /** Content words of the answer (function words left out). */
  words: number;
  /** The answer's content words found in no source, in order, once each. */
  unsupported: string[];
  /** unsupported / words (0 for an answer without content words). */
  ratio: number;
}

/**
 * How much of an answer's content the sources carry: its content words (normalised, crudely
 * stemmed) that occur in no source. Wider than the claim check (numbers, dates, names): a
 * made-up place, product or verb counts too. Paraphrase counts as well, which is the price:
 * measured on HaluEval QA it flags invented answers and leaves extractive ones (see
 * evals/judges/qualification.json for its precision and recall).
 */
export function contentSupport(answer: string, sources: readonly string[]): ContentSupport {
  const known = new Set(sources.flatMap(contentWords));
  const words = contentWords(answer);
  const unsupported = [...new Set(words.filter((w) => !known.has(w)))];
  const missing = words.filter((w) => !known.has(w)).length;
  return { words: words.length, unsupported, ratio: words.length === 0 ? 0 : missing / words.length };
}
