import { DEFAULT_MAX_CONTEXT_CHARS, DEFAULT_UNFAITHFUL_AT_OR_BELOW } from "./faithfulness-judge";
import { judgePromptVersion, judgeScore, replyFormat, type JudgePrompt } from "./judge-call";
import { ratedExplanation, ratingSchema, ratingToScore, shotsFor, type Rating } from "./rubric";
import { hasAnswer, hasTag, makeScore } from "./score";
import { summarySource } from "./summarization";
import { truncate } from "@/lib/text/truncate";
import type { EvalScore, Evaluator } from "./types";

/**
 * summarization.faithfulness (LLM): a judge rates on a 1-5 rubric whether everything the
 * summary says is stated by the source (measured on FaithBench by `npm run eval:judges`).
 * Score = (rating - 1) / 4; "unfaithful" at or below `unfaithfulAtOrBelow`.
 */

export interface SummaryFaithfulnessOptions {
  maxSourceChars?: number;
  unfaithfulAtOrBelow?: number;
}

export const SUMMARY_FAITHFULNESS_RUBRIC = [
  "You check if a SUMMARY is faithful to its SOURCE.",
  "Score 5: every statement of the summary is in the source.",
  "Score 4: faithful, with harmless rewording.",
  "Score 3: mostly faithful; one detail is not in the source or is distorted.",
  "Score 2: several details are not in the source.",
  "Score 1: contradicts the source or is made up.",
].join("\n");

const SHOTS: readonly { user: string; reply: Rating }[] = [
  {
    user: "SOURCE:\nThe museum opened in 1995 and holds 3,000 paintings.\n\nSUMMARY: The museum, opened in 1995, has 3,000 paintings.",
    reply: { score: 5, reason: "Both facts are in the source." },
  },
  {
    user: "SOURCE:\nThe museum opened in 1995 and holds 3,000 paintings.\n\nSUMMARY: The famous museum opened in 1990 with 5,000 paintings.",
    reply: { score: 1, reason: "1990, 5,000 and famous are not in the source." },
  },
];

export function summaryFaithfulnessPrompt(
  source: string,
  summary: string,
  options: SummaryFaithfulnessOptions = {},
  reasons = true,
): JudgePrompt<Rating> {
  const maxSource = options.maxSourceChars ?? DEFAULT_MAX_CONTEXT_CHARS;
  return {
    name: "summary_faithfulness_judge",
    schema: ratingSchema(reasons),
    system: `${SUMMARY_FAITHFULNESS_RUBRIC}\n${replyFormat('"score": 1-5', reasons)}`,
    shots: shotsFor(SHOTS, reasons),
    user: `SOURCE:\n${truncate(source.replace(/\s+/g, " ").trim(), maxSource, { atWord: true })}\n\nSUMMARY: ${truncate(summary.trim(), 1200, { atWord: true })}`,
  };
}

export function summaryFaithfulnessScore(reply: Rating, unfaithfulAtOrBelow = DEFAULT_UNFAITHFUL_AT_OR_BELOW): EvalScore {
  const label = reply.score <= unfaithfulAtOrBelow ? "unfaithful" : "faithful";
  return makeScore(ratingToScore(reply.score), label, ratedExplanation("faithfulness to the source", reply), { rating: reply.score });
}

export function summaryFaithfulnessEvaluator(options: SummaryFaithfulnessOptions = {}): Evaluator {
  return {
    name: "summarization.faithfulness",
    kind: "LLM",
    judge: { kind: "LLM", version: judgePromptVersion(SUMMARY_FAITHFULNESS_RUBRIC, SHOTS) },
    appliesTo: (c) => hasTag(c, "summarization") && hasAnswer(c),
    evaluate: (c, ctx) =>
      judgeScore(
        ctx,
        (reasons) => summaryFaithfulnessPrompt(summarySource(c), c.answer, options, reasons),
        (reply) => summaryFaithfulnessScore(reply, options.unfaithfulAtOrBelow),
      ),
  };
}
