import { codeOf } from "./code-correctness";
import { judgePromptVersion, judgeScore, replyFormat, type JudgePrompt } from "./judge-call";
import { ratedExplanation, ratingSchema, ratingToScore, type Rating } from "./rubric";
import { makeScore, questionOf } from "./score";
import { truncate } from "@/lib/text/truncate";
import type { EvalScore, Evaluator } from "./types";

/**
 * code.readability (LLM): a judge rates the agent's code on a 1-5 readability rubric (clear
 * names, simple structure, no dead code). Score = (rating - 1) / 4; "readable" at 4 or more.
 */

export const READABILITY_RUBRIC = [
  "You rate how readable a JavaScript program is.",
  "Score 5: clear names, simple structure, easy to follow.",
  "Score 4: readable, small issues.",
  "Score 3: understandable with effort (vague names, long lines).",
  "Score 2: hard to follow (cryptic names, tangled logic, dead code).",
  "Score 1: unreadable or not a program.",
].join("\n");

export function readabilityPrompt(task: string, code: string, reasons = true): JudgePrompt<Rating> {
  return {
    name: "code_readability_judge",
    schema: ratingSchema(reasons),
    system: `${READABILITY_RUBRIC}\n${replyFormat('"score": 1-5', reasons)}`,
    user: `TASK: ${truncate(task, 400, { atWord: true })}\n\nCODE:\n${truncate(code, 2400, { atWord: true })}`,
  };
}

export function readabilityScore(reply: Rating): EvalScore {
  return makeScore(ratingToScore(reply.score), reply.score >= 4 ? "readable" : "hard_to_read", ratedExplanation("readability", reply), {
    rating: reply.score,
  });
}

export function codeReadabilityEvaluator(): Evaluator {
  return {
    name: "code.readability",
    kind: "LLM",
    judge: { kind: "LLM", version: judgePromptVersion(READABILITY_RUBRIC) },
    appliesTo: (c) => codeOf(c) !== undefined,
    evaluate: (c, ctx) => judgeScore(ctx, (reasons) => readabilityPrompt(questionOf(c), codeOf(c) ?? "", reasons), readabilityScore),
  };
}
