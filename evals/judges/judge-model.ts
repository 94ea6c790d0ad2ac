import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { LOCAL_CHAT_MODELS, type AppConfig, type LocalChatModelName } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { createChatModel, describeModel, type ModelDescription } from "@/lib/llm/provider";

/**
 * The judge model for LLM evaluators. By default it is the app's own chat model (the embedded
 * SmolLM2 with no key); `EVAL_JUDGE_*` (read by lib/config.ts into `config.evalJudge`) can point
 * it elsewhere, typically a stronger hosted model, without touching the app's model. Each field
 * falls back to the app's setting (an API judge without its own key uses OPENAI_API_KEY).
 */

/** EVAL_JUDGE_PROVIDER / _MODEL / _BASE_URL / _API_KEY as lib/config.ts reads them. */
export type EvalJudgeConfig = AppConfig["evalJudge"];

/** Judges reply with a few dozen tokens of JSON; a tight cap keeps a runaway reply short. */
export const JUDGE_MAX_TOKENS = 160;

/** The app's chat settings with the judge's overrides applied; judges always decode greedily. */
export function judgeLlmConfig(config: AppConfig, judge: EvalJudgeConfig = {}): AppConfig["llm"] {
  const base = { ...config.llm, temperature: 0, maxTokens: Math.min(config.llm.maxTokens, JUDGE_MAX_TOKENS) };
  const wantsApi = judge.provider === "openai" || (judge.provider === undefined && (judge.apiKey ?? judge.baseURL) !== undefined);
  if (wantsApi) {
    const sameAsApp = config.llm.provider === "openai";
    return {
      ...base,
      provider: "openai",
      openai: {
        ...config.llm.openai,
        apiKey: judge.apiKey ?? config.llm.openai.apiKey,
        baseURL: judge.baseURL ?? config.llm.openai.baseURL,
        model: judge.model ?? (sameAsApp ? config.llm.openai.model : "gpt-4o-mini"),
      },
    };
  }
  if (judge.provider === "local") {
    if (judge.model !== undefined && !isLocalModel(judge.model)) {
      throw new AppError("config_invalid", `EVAL_JUDGE_MODEL "${judge.model}" is not a local model (${LOCAL_CHAT_MODELS.join(", ")})`);
    }
    return { ...base, provider: "local", local: { ...config.llm.local, model: judge.model ?? config.llm.local.model } };
  }
  return base;
}

function isLocalModel(name: string): name is LocalChatModelName {
  return (LOCAL_CHAT_MODELS as readonly string[]).includes(name);
}

/** Whether an API judge can be called: a key, or a base URL (local OpenAI-compatible servers need no key). */
export function hasApiJudge(config: AppConfig, judge: EvalJudgeConfig = {}): boolean {
  const llm = judgeLlmConfig(config, { ...judge, provider: "openai" });
  return llm.openai.apiKey !== undefined || llm.openai.baseURL !== undefined;
}

/**
 * The judge as a LangChain chat model: `judge` (by default `config.evalJudge`) over the app's
 * chat settings. Cheap: the local model loads on its first call.
 */
export function createJudgeModel(config: AppConfig, judge: EvalJudgeConfig = config.evalJudge): BaseChatModel {
  return createChatModel(judgeLlmConfig(config, judge), config.models.dir);
}

/** Provider and model name of the judge, for reports. */
export function describeJudge(config: AppConfig, judge: EvalJudgeConfig = config.evalJudge): ModelDescription {
  return describeModel(judgeLlmConfig(config, judge));
}
