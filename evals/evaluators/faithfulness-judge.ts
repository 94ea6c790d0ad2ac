import { judgePromptVersion, judgeScore, replyFormat, type JudgePrompt } from "./judge-call";
import { formatSources, ratedExplanation, ratingSchema, ratingToScore, shotsFor, type Rating } from "./rubric";
import { hasAnswer, makeScore, questionOf } from "./score";
import { truncate } from "@/lib/text/truncate";
import type { EvalCase, EvalScore, Evaluator } from "./types";

/**
 * hallucination.judge (LLM): a judge rates on a 1-5 rubric how far the answer is supported
 * by the retrieved context. Score = (rating - 1) / 4; label "unfaithful" when the rating is at
 * or below `unfaithfulAtOrBelow` (measured with `npm run eval:judges`), else "faithful".
 */

export interface FaithfulnessInput {
  /** The reference text; empty when there is none (the judge then relies on what it knows). */
  context: string;
  question?: string;
  response: string;
}

export interface FaithfulnessOptions {
  /** Most characters of context shown to the judge. Default 2400 (~600 tokens). */
  maxContextChars?: number;
  /** Ratings at or below this are "unfaithful". Default 3. */
  unfaithfulAtOrBelow?: number;
}

export const DEFAULT_UNFAITHFUL_AT_OR_BELOW = 3;
export const DEFAULT_MAX_CONTEXT_CHARS = 2400;

export const FAITHFULNESS_RUBRIC = [
  "You check if a RESPONSE is supported by a REFERENCE text.",
  "Score 5: everything in the response is stated in the reference.",
  "Score 4: supported, with harmless rewording.",
  "Score 3: partly supported; some details are not in the reference.",
  "Score 2: mostly not in the reference.",
  "Score 1: contradicts the reference or is made up.",
].join("\n");

// Two short worked examples, one from each end of the scale, so the judge sees both used.
const SHOTS: readonly { user: string; reply: Rating }[] = [
  {
    user: "REFERENCE:\n[1] The Eiffel Tower was completed in 1889 in Paris.\n\nQUESTION: When was the Eiffel Tower completed?\n\nRESPONSE: It was completed in 1889.",
    reply: { score: 5, reason: "The year 1889 is in the reference." },
  },
  {
    user: "REFERENCE:\n[1] The Eiffel Tower was completed in 1889 in Paris.\n\nQUESTION: When was the Eiffel Tower completed?\n\nRESPONSE: It was completed in 1901 by Gustave Klimt.",
    reply: { score: 1, reason: "The reference says 1889; 1901 and Klimt are made up." },
  },
];

export function faithfulnessPrompt(input: FaithfulnessInput, options: FaithfulnessOptions = {}, reasons = true): JudgePrompt<Rating> {
  const maxContext = options.maxContextChars ?? DEFAULT_MAX_CONTEXT_CHARS;
  const context =
    input.context.trim() === "" ? "(none: judge from general knowledge)" : truncate(input.context, maxContext, { atWord: true });
  const question = input.question ? `\n\nQUESTION: ${truncate(input.question, 400, { atWord: true })}` : "";
  return {
    name: "faithfulness_judge",
    schema: ratingSchema(reasons),
    system: `${FAITHFULNESS_RUBRIC}\n${replyFormat('"score": 1-5', reasons)}`,
    shots: shotsFor(SHOTS, reasons),
    user: `REFERENCE:\n${context}${question}\n\nRESPONSE: ${truncate(input.response, 1200, { atWord: true })}`,
  };
}

export function faithfulnessScore(reply: Rating, unfaithfulAtOrBelow = DEFAULT_UNFAITHFUL_AT_OR_BELOW): EvalScore {
  const label = reply.score <= unfaithfulAtOrBelow ? "unfaithful" : "faithful";
  return makeScore(ratingToScore(reply.score), label, ratedExplanation("faithfulness", reply), { rating: reply.score });
}

/** The case's context as the judge sees it: its retrieved chunks, numbered. */
export function caseContext(c: EvalCase, maxChars = DEFAULT_MAX_CONTEXT_CHARS): string {
  return c.retrieved.length === 0 ? "" : formatSources(c.retrieved, maxChars);
}

export function faithfulnessJudgeEvaluator(options: FaithfulnessOptions = {}): Evaluator {
  return {
    name: "hallucination.judge",
    kind: "LLM",
    judge: { kind: "LLM", version: judgePromptVersion(FAITHFULNESS_RUBRIC, SHOTS) },
    appliesTo: (c) => c.retrieved.length > 0 && hasAnswer(c),
    evaluate(c, ctx) {
      const input = { context: caseContext(c, options.maxContextChars), question: questionOf(c), response: c.answer };
      return judgeScore(
        ctx,
        (reasons) => faithfulnessPrompt(input, options, reasons),
        (reply) => faithfulnessScore(reply, options.unfaithfulAtOrBelow),
      );
    },
  };
}
