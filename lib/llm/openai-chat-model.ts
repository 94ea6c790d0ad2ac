import { ChatOpenAI } from "@langchain/openai";
import type { AppConfig } from "../config";

/**
 * Key sent when only `OPENAI_BASE_URL` is set: local OpenAI-compatible servers (Ollama, vLLM,
 * LM Studio, llama.cpp server) ignore the key, but the OpenAI client refuses to start without one.
 */
export const PLACEHOLDER_API_KEY = "not-needed";

/**
 * The hosted / OpenAI-compatible chat model. `streamUsage` makes streamed replies carry token
 * usage (OpenAI's `stream_options.include_usage`), so traces get token counts when streaming.
 */
export function createOpenAIChatModel(llm: AppConfig["llm"]): ChatOpenAI {
  const { apiKey, baseURL, model } = llm.openai;
  return new ChatOpenAI({
    model,
    apiKey: apiKey ?? (baseURL ? PLACEHOLDER_API_KEY : undefined),
    configuration: baseURL ? { baseURL } : undefined,
    temperature: llm.temperature,
    maxTokens: llm.maxTokens,
    modelKwargs: { seed: llm.seed },
    streamUsage: true,
  });
}
