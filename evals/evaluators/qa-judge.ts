import { z } from "zod";
import { judgePromptVersion, judgeScore, replyFormat, type JudgePrompt } from "./judge-call";
import { expectedFacts } from "./qa-correctness";
import { hasTag, makeScore, questionOf } from "./score";
import { truncate } from "@/lib/text/truncate";
import type { EvalScore, Evaluator } from "./types";

/**
 * qa.judge (LLM): does the response answer the question the way the reference answer does?
 * correct = 1, partially_correct = 0.5, incorrect = 0. The reference is the expected answer,
 * or the expected facts when there is no answer.
 */

const qaVerdict = z.enum(["correct", "partially_correct", "incorrect"]);
export type QaVerdict = {
  verdict: z.infer<typeof qaVerdict>;
  reason?: string;
};

export function qaVerdictSchema(reasons: boolean): z.ZodType<QaVerdict> {
  return reasons ? z.object({ verdict: qaVerdict, reason: z.string().max(160) }) : z.object({ verdict: qaVerdict });
}

export const QA_RUBRIC = [
  "You grade an answer against a reference answer.",
  "correct: it gives the same facts as the reference (wording may differ).",
  "partially_correct: some of the reference facts, or some wrong details.",
  "incorrect: different facts, a wrong answer, or no answer.",
].join("\n");

export function qaJudgePrompt(input: { question: string; reference: string; response: string }, reasons = true): JudgePrompt<QaVerdict> {
  return {
    name: "qa_judge",
    schema: qaVerdictSchema(reasons),
    system: `${QA_RUBRIC}\n${replyFormat('"verdict": "correct", "partially_correct" or "incorrect"', reasons)}`,
    user: `QUESTION: ${truncate(input.question, 400, { atWord: true })}\n\nREFERENCE ANSWER: ${truncate(input.reference, 800, { atWord: true })}\n\nANSWER TO GRADE: ${truncate(input.response, 1200, { atWord: true })}`,
  };
}

const VERDICT_SCORE: Record<QaVerdict["verdict"], number> = { correct: 1, partially_correct: 0.5, incorrect: 0 };

export function qaVerdictScore(reply: QaVerdict): EvalScore {
  return makeScore(VERDICT_SCORE[reply.verdict], reply.verdict, `Judge: ${reply.verdict}.${reply.reason ? ` ${reply.reason}` : ""}`);
}

export function qaJudgeEvaluator(): Evaluator {
  return {
    name: "qa.judge",
    kind: "LLM",
    judge: { kind: "LLM", version: judgePromptVersion(QA_RUBRIC) },
    appliesTo: (c) => !hasTag(c, "unanswerable") && expectedFacts(c).length > 0,
    evaluate(c, ctx) {
      const reference = c.example.expected.answer?.trim() || expectedFacts(c).join("; ");
      const input = { question: questionOf(c), reference, response: c.answer };
      return judgeScore(ctx, (reasons) => qaJudgePrompt(input, reasons), qaVerdictScore);
    },
  };
}
