import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { AppConfig } from "../config";
import { chatModelPath } from "../models/paths";
import { LocalChatModel } from "./local-chat-model";
import { createOpenAIChatModel } from "./openai-chat-model";
import { ScriptedChatModel, type Script } from "./scripted-chat-model";

export type LlmConfig = AppConfig["llm"];

/** What tracing records as `llm.provider` and `llm.model_name`. */
export interface ModelDescription {
  /** "openai" (OpenAI or any OpenAI-compatible server), "llama.cpp" (in-process GGUF), "scripted" (tests). */
  provider: "openai" | "llama.cpp" | "scripted";
  modelName: string;
}

export interface CreateChatModelOptions {
  /** Script for the `scripted` provider (tests only). Without one it echoes the last human message. */
  script?: Script;
}

/** The GGUF file the local provider loads: `LOCAL_MODEL_PATH`, or the configured model under `models/gguf/`. */
export function localModelPath(llm: LlmConfig, modelsDir: string): string {
  return llm.local.modelPath ?? chatModelPath(modelsDir, llm.local.model);
}

const echoScript: Script = ({ prompt }) => prompt;

/**
 * The chat model for `llm.provider`. Creating it is cheap and does no I/O: the local model
 * is loaded on its first call (once per process), and a missing GGUF file surfaces then as
 * `AppError("model_missing")`.
 */
export function createChatModel(llm: LlmConfig, modelsDir: string, options: CreateChatModelOptions = {}): BaseChatModel {
  switch (llm.provider) {
    case "openai":
      return createOpenAIChatModel(llm);
    case "local":
      return new LocalChatModel({
        modelPath: localModelPath(llm, modelsDir),
        modelName: llm.local.model,
        contextSize: llm.local.contextSize,
        threads: llm.local.threads,
        parallelSequences: llm.local.sequences,
        temperature: llm.temperature,
        maxTokens: llm.maxTokens,
        seed: llm.seed,
      });
    case "scripted":
      return new ScriptedChatModel({ script: options.script ?? echoScript });
  }
}

/** Provider and model name for traces and pricing, without creating the model. */
export function describeModel(llm: LlmConfig): ModelDescription {
  switch (llm.provider) {
    case "openai":
      return { provider: "openai", modelName: llm.openai.model };
    case "local":
      return { provider: "llama.cpp", modelName: llm.local.model };
    case "scripted":
      return { provider: "scripted", modelName: "scripted" };
  }
}
