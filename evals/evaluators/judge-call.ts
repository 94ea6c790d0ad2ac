import { createHash } from "node:crypto";
import { AIMessage, type BaseMessage, HumanMessage, SystemMessage } from "@langchain/core/messages";
import type { z } from "zod";
import { AppError } from "@/lib/errors";
import { errorScore } from "./score";
import type { EvalContext, EvalScore, JudgeModel } from "./types";

/**
 * One judge call: a short system prompt, optional worked examples, the case, and a reply
 * constrained to a JSON schema (a grammar for the local model, structured output for OpenAI),
 * so even a 135M model returns parseable JSON. zod validates the reply; whatever goes wrong
 * becomes a `judge_error` score instead of an exception that would stop an eval run.
 */

export interface JudgePrompt<T extends Record<string, unknown>> {
  /** Names the call in traces ("faithfulness_judge"). */
  name: string;
  schema: z.ZodType<T>;
  system: string;
  user: string;
  /** Worked examples, replayed as user/assistant turns before the case. */
  shots?: readonly { user: string; reply: T }[];
}

export function judgeMessages<T extends Record<string, unknown>>(prompt: JudgePrompt<T>): BaseMessage[] {
  const messages: BaseMessage[] = [new SystemMessage(prompt.system)];
  for (const shot of prompt.shots ?? []) messages.push(new HumanMessage(shot.user), new AIMessage(JSON.stringify(shot.reply)));
  messages.push(new HumanMessage(prompt.user));
  return messages;
}

/** Asks the judge; rejects with an AppError when the reply does not fit the schema. */
export async function askJudge<T extends Record<string, unknown>>(
  judge: JudgeModel,
  prompt: JudgePrompt<T>,
  signal?: AbortSignal,
): Promise<T> {
  const structured = judge.withStructuredOutput(prompt.schema, { name: prompt.name });
  const out: unknown = await structured.invoke(judgeMessages(prompt), { signal });
  // The local and scripted models validate with zod already; other providers may not.
  const parsed = prompt.schema.safeParse(out);
  if (!parsed.success) {
    throw new AppError(
      "llm_failed",
      `The judge's reply does not match the schema: ${parsed.error.issues.map((i) => i.message).join("; ")}`,
    );
  }
  return parsed.data;
}

/** Whether the judge is asked for a reason (see `EvalContext.judgeReasons`). */
export function wantsReasons(ctx: EvalContext): boolean {
  return ctx.judgeReasons ?? ctx.judge?._llmType() !== "llama.cpp";
}

/** The last line of a judge's system prompt: the JSON it must reply with. */
export function replyFormat(fields: string, reasons: boolean): string {
  return `Reply with JSON: {${fields}${reasons ? ', "reason": "..."' : ""}}`;
}

/**
 * Runs a judge and turns its reply into a score. No judge, a malformed reply or a failed call
 * give a `judge_error` score; only an abort (the run is being cancelled) rejects. `build`
 * makes the prompt, with or without a reason in the reply.
 */
export async function judgeScore<T extends Record<string, unknown>>(
  ctx: EvalContext,
  build: (reasons: boolean) => JudgePrompt<T>,
  toScore: (reply: T) => EvalScore,
): Promise<EvalScore> {
  if (!ctx.judge) return errorScore("judge_error", new AppError("config_invalid", "No judge model was given to this LLM evaluator"));
  try {
    return toScore(await askJudge(ctx.judge, build(wantsReasons(ctx)), ctx.signal));
  } catch (error) {
    if (ctx.signal?.aborted) throw new AppError("aborted", "The evaluation was aborted", { cause: error });
    return errorScore("judge_error", error);
  }
}

/** An LLM judge's prompt version: the first 8 hex digits of sha256 over its rubric and worked examples. */
export function judgePromptVersion(rubric: string, shots: readonly unknown[] = []): string {
  return createHash("sha256")
    .update(`${rubric}\n${JSON.stringify(shots)}`)
    .digest("hex")
    .slice(0, 8);
}
