import { scoreClaims } from "./claim-check";
import { coverFacts } from "./fact-coverage";
import { groundingOf, hasAnswer, hasTag, makeScore, preview, syncEvaluate } from "./score";
import type { EvalCase, Evaluator } from "./types";

/**
 * Summarization quality (CODE), for examples tagged `summarization`:
 * - summarization.coverage: the key points (expected.facts) the summary states;
 * - summarization.unsupported: numbers, dates and names in the summary found in no source;
 * - summarization.length: summary words / source words, 1 inside [minRatio, maxRatio] and
 *   falling off proportionally outside it (a "summary" as long as the source, or one line
 *   for ten pages).
 * The source is what the agent retrieved, or the user's message when it retrieved nothing
 * (a text pasted to be summarised).
 */

export interface SummarizationOptions {
  /** Default 0.02: shorter than 1/50 of the source leaves out too much. */
  minRatio?: number;
  /** Default 0.6: a summary is shorter than its source. */
  maxRatio?: number;
  /** Sources shorter than this many words are too short for a length ratio to mean anything. Default 40. */
  minSourceWords?: number;
}

const isSummarization = (c: EvalCase) => hasTag(c, "summarization") && hasAnswer(c);

export function summarySource(c: EvalCase): string {
  return c.retrieved.length > 0 ? c.retrieved.map((r) => r.text).join("\n") : c.example.input.message;
}

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

/** 1 inside [min, max], min/ratio… proportionally less outside. */
export function lengthRatioScore(ratio: number, min: number, max: number): number {
  if (ratio <= 0) return 0;
  if (ratio < min) return ratio / min;
  if (ratio > max) return max / ratio;
  return 1;
}

export function summarizationEvaluators(options: SummarizationOptions = {}): Evaluator[] {
  const minRatio = options.minRatio ?? 0.02;
  const maxRatio = options.maxRatio ?? 0.6;
  const minSourceWords = options.minSourceWords ?? 40;
  return [
    {
      name: "summarization.coverage",
      kind: "CODE",
      appliesTo: (c) => isSummarization(c) && (c.example.expected.facts?.length ?? 0) > 0,
      evaluate: syncEvaluate((c) => {
        const coverage = coverFacts(c.example.expected.facts ?? [], c.answer);
        const covered = coverage.filter((f) => f.covered).length;
        const missing = coverage.filter((f) => !f.covered).map((f) => f.fact);
        const label = covered === coverage.length ? "complete" : covered > 0 ? "partial" : "none";
        const explanation =
          missing.length === 0
            ? `Covers all ${coverage.length} key points.`
            : `Covers ${covered} of ${coverage.length} key points; missing ${preview(missing, 3)}.`;
        return makeScore(covered / coverage.length, label, explanation, { points: coverage.length, covered });
      }),
    },
    {
      name: "summarization.unsupported",
      kind: "CODE",
      judge: { kind: "CODE", version: "summary-claims@1" },
      appliesTo: isSummarization,
      evaluate: syncEvaluate((c) => scoreClaims(c.answer, c.retrieved.length > 0 ? groundingOf(c) : [summarySource(c)])),
    },
    {
      name: "summarization.length",
      kind: "CODE",
      appliesTo: (c) => isSummarization(c) && wordCount(summarySource(c)) >= minSourceWords,
      evaluate: syncEvaluate((c) => {
        const source = wordCount(summarySource(c));
        const summary = wordCount(c.answer);
        const ratio = summary / source;
        const score = lengthRatioScore(ratio, minRatio, maxRatio);
        const label = ratio < minRatio ? "too_short" : ratio > maxRatio ? "too_long" : "ok";
        return makeScore(
          score,
          label,
          `${summary} words for a ${source}-word source (ratio ${ratio.toFixed(2)}, expected ${minRatio}-${maxRatio}).`,
          {
            ratio: Number(ratio.toFixed(4)),
            summaryWords: summary,
            sourceWords: source,
          },
        );
      }),
    },
  ];
}
