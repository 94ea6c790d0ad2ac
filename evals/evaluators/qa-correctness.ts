import { coverFacts } from "./fact-coverage";
import { hasTag, makeScore, preview, syncEvaluate } from "./score";
import { extractNumbers, numberIn } from "@/lib/quality/text";
import type { EvalCase, Evaluator } from "./types";

/**
 * QA correctness on retrieved data (CODE):
 * - qa.facts: share of the expected facts (or of the expected answer, as one fact) the answer states;
 * - qa.numbers: share of the numbers in the expected facts and answer that the answer states,
 *   allowing for rounding ("$1.29k" is not accepted, "$1,290" and "1290" are).
 * Not for `unanswerable` examples (qa.abstain scores those).
 */

/** The facts to look for: expected.facts, or the expected answer as one fact. */
export function expectedFacts(c: EvalCase): string[] {
  const { facts, answer } = c.example.expected;
  if (facts && facts.length > 0) return facts;
  return answer && answer.trim() !== "" ? [answer] : [];
}

function answerable(c: EvalCase): boolean {
  return !hasTag(c, "unanswerable");
}

export function factsEvaluator(options: { minWordShare?: number } = {}): Evaluator {
  return {
    name: "qa.facts",
    kind: "CODE",
    appliesTo: (c) => answerable(c) && expectedFacts(c).length > 0,
    evaluate: syncEvaluate((c) => {
      const coverage = coverFacts(expectedFacts(c), c.answer, options.minWordShare);
      const covered = coverage.filter((f) => f.covered).length;
      const missing = coverage.filter((f) => !f.covered).map((f) => f.fact);
      const label = covered === coverage.length ? "correct" : covered > 0 ? "partial" : "incorrect";
      const explanation =
        missing.length === 0
          ? `States all ${coverage.length} expected facts.`
          : `States ${covered} of ${coverage.length} expected facts; missing ${preview(missing, 3)}.`;
      return makeScore(covered / coverage.length, label, explanation, { facts: coverage.length, covered });
    }),
  };
}

/** Numbers the expected facts and answer state, without duplicates. */
export function expectedNumbers(c: EvalCase) {
  const text = [...(c.example.expected.facts ?? []), c.example.expected.answer ?? ""].join("\n");
  const numbers = extractNumbers(text);
  return numbers.filter((n, i) => numbers.findIndex((m) => m.scaled === n.scaled) === i);
}

export function numbersEvaluator(): Evaluator {
  return {
    name: "qa.numbers",
    kind: "CODE",
    appliesTo: (c) => answerable(c) && expectedNumbers(c).length > 0,
    evaluate: syncEvaluate((c) => {
      const expected = expectedNumbers(c);
      const inAnswer = extractNumbers(c.answer);
      const missing = expected.filter((n) => !numberIn(n, inAnswer)).map((n) => n.text);
      const matched = expected.length - missing.length;
      const label = missing.length === 0 ? "matched" : matched > 0 ? "partial" : "missing";
      const explanation =
        missing.length === 0
          ? `All ${expected.length} expected numbers appear in the answer.`
          : `Missing ${preview(missing)} of ${expected.length} expected numbers.`;
      return makeScore(matched / expected.length, label, explanation, { numbers: expected.length, matched });
    }),
  };
}
