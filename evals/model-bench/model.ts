import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { LOCAL_CHAT_MODELS, type AppConfig, type LocalChatModelName } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { LocalChatModel } from "@/lib/llm/local-chat-model";
import { createChatModel, describeModel, localModelPath, type ModelDescription } from "@/lib/llm/provider";
import type { Script } from "@/lib/llm/scripted-chat-model";
import type { PromptStyle } from "./prompts";

export interface BenchModelChoice {
  provider?: "local" | "openai" | "scripted";
  /** A local model name (smollm2-135m, gemma-3-270m) or, with openai, any model the server knows. */
  model?: string;
}

/** The app's chat settings with the benchmark's provider and model applied; always greedy. */
export function benchLlmConfig(config: AppConfig, choice: BenchModelChoice): AppConfig["llm"] {
  const provider = choice.provider ?? config.llm.provider;
  const base = { ...config.llm, provider, temperature: 0 };
  if (provider === "local" && choice.model !== undefined) {
    if (!(LOCAL_CHAT_MODELS as readonly string[]).includes(choice.model)) {
      throw new AppError("bad_request", `--model "${choice.model}" is not a local model (${LOCAL_CHAT_MODELS.join(", ")})`);
    }
    // An explicit --model wins over LOCAL_MODEL_PATH, or the name would not match the file.
    return { ...base, local: { ...config.llm.local, model: choice.model as LocalChatModelName, modelPath: undefined } };
  }
  if (provider === "openai" && choice.model !== undefined) return { ...base, openai: { ...config.llm.openai, model: choice.model } };
  return base;
}

export interface BenchModel {
  description: ModelDescription;
  style: PromptStyle;
  /** The chat model with this generation cap (benchmarks differ: 8 tokens for a letter, 256 for a solution). */
  withMaxTokens(maxTokens: number): BaseChatModel;
}

/**
 * Through the app's factory (createChatModel), except one setting for local models: the
 * repetition penalty the app uses against loops (1.15) is off, because benchmark numbers are
 * published with plain greedy decoding and the penalty punishes what these tasks need, repeating
 * the question's numbers (GSM8K) and indentation and names (HumanEval).
 */
export function createBenchModel(config: AppConfig, choice: BenchModelChoice, options: { script?: Script } = {}): BenchModel {
  const llm = benchLlmConfig(config, choice);
  const cache = new Map<number, BaseChatModel>();
  return {
    description: describeModel(llm),
    style: llm.provider === "local" ? "continuation" : "chat",
    withMaxTokens(maxTokens) {
      let model = cache.get(maxTokens);
      if (!model) {
        model =
          llm.provider === "local"
            ? new LocalChatModel({
                modelPath: localModelPath(llm, config.models.dir),
                modelName: llm.local.model,
                contextSize: llm.local.contextSize,
                threads: llm.local.threads,
                temperature: 0,
                maxTokens,
                seed: llm.seed,
                repeatPenalty: 1,
              })
            : createChatModel({ ...llm, maxTokens }, config.models.dir, { script: options.script });
        cache.set(maxTokens, model);
      }
      return model;
    },
  };
}
