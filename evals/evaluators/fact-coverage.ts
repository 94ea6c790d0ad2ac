import { contentWords, extractNumbers, normalizeText, numberIn, withoutNumbers } from "@/lib/quality/text";

/**
 * Whether an answer states an expected fact, without a model. A fact is covered when the
 * answer contains it verbatim (after normalisation), or when the answer has every number of
 * the fact and most of its content words (`minWordShare`, default 0.7): the answer "The R100
 * costs $1,290." covers the fact "R100 costs 1290", not "R100 costs 1190".
 */

export interface FactCoverage {
  fact: string;
  covered: boolean;
  /** Share of the fact's content words found in the answer. */
  wordShare: number;
  missingNumbers: string[];
}

export function factCoverage(fact: string, answer: string, minWordShare = 0.7): FactCoverage {
  const factNumbers = extractNumbers(fact);
  const answerNumbers = extractNumbers(answer);
  const missingNumbers = factNumbers.filter((n) => !numberIn(n, answerNumbers)).map((n) => n.text);
  if (normalizeText(answer).includes(normalizeText(fact))) return { fact, covered: true, wordShare: 1, missingNumbers: [] };
  // Numbers are matched above, with rounding; the words are the rest of the fact.
  const words = contentWords(withoutNumbers(fact));
  const answerWords = new Set(contentWords(answer));
  const found = words.filter((w) => answerWords.has(w)).length;
  const wordShare = words.length === 0 ? 1 : found / words.length;
  return { fact, covered: missingNumbers.length === 0 && wordShare >= minWordShare, wordShare, missingNumbers };
}

/** Coverage of each fact, in order. */
export function coverFacts(facts: readonly string[], answer: string, minWordShare?: number): FactCoverage[] {
  return facts.map((f) => factCoverage(f, answer, minWordShare));
}
