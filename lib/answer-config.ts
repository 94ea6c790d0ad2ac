import { z } from "zod";
import { AppError } from "./errors";
import { onOffSwitch } from "./validation/env-values";
import { describeZodIssues } from "./validation/zod-issues";

export interface AnswerConfigSlice {
  /**
   * ANSWER_GUARDS (default on): knowledge-base answers are checked before the user sees them —
   * abstain when the documents cannot answer, replace an answer with unsupported figures or
   * names by the evidence it should have used (agents/answer/answer-guard.ts). Off streams the
   * model's text as it comes, unchecked: for benchmarks, and for a capable model you trust more.
   */
  answerGuards: boolean;
}

const answerEnvSchema = z.object({ ANSWER_GUARDS: onOffSwitch("on") });

/** Called by loadConfig only: the environment is read in one place. */
export function answerConfig(env: Record<string, string | undefined>): AnswerConfigSlice {
  const parsed = answerEnvSchema.safeParse(env);
  if (!parsed.success)
    throw new AppError("config_invalid", `Invalid environment configuration: ${describeZodIssues(parsed.error).join("; ")}`);
  return { answerGuards: parsed.data.ANSWER_GUARDS };
}
