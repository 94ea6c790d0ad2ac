import type { BaseLanguageModelInput, StructuredOutputMethodOptions } from "@langchain/core/language_models/base";
import type { BaseMessage } from "@langchain/core/messages";
import type { Runnable } from "@langchain/core/runnables";
import type { SerializableSchema } from "@langchain/core/utils/standard_schema";
import type { InteropZodType } from "@langchain/core/utils/types";
import { ChatOpenAI, type ChatOpenAIFields } from "@langchain/openai";
import type { AppConfig, StructuredOutputMethod } from "../config";

/**
 * Key sent when only `OPENAI_BASE_URL` is set: local OpenAI-compatible servers (Ollama, vLLM,
 * LM Studio, llama.cpp server) ignore the key, but the OpenAI client refuses to start without one.
 */
export const PLACEHOLDER_API_KEY = "not-needed";

const LANGCHAIN_METHOD: Record<StructuredOutputMethod, "jsonSchema" | "functionCalling"> = {
  json_schema: "jsonSchema",
  function_calling: "functionCalling",
};

/**
 * ChatOpenAI whose structured output uses the configured method unless a call names one: OpenAI
 * and most compatible servers take a json_schema response format, but some (llama-cpp-python's
 * server) only a forced tool call (OPENAI_STRUCTURED_OUTPUT=function_calling).
 */
export class OpenAICompatibleChatModel extends ChatOpenAI {
  constructor(
    fields: ChatOpenAIFields,
    private readonly structuredOutputMethod: StructuredOutputMethod,
  ) {
    super(fields);
  }

  // The three overloads of ChatOpenAI's own signature, which uses `any` for the output record.
  /* eslint-disable @typescript-eslint/no-explicit-any -- mirrors LangChain's declared signature */
  override withStructuredOutput<RunOutput extends Record<string, any> = Record<string, any>>(
    outputSchema: InteropZodType<RunOutput> | SerializableSchema<RunOutput> | Record<string, any>,
    config?: StructuredOutputMethodOptions<false>,
  ): Runnable<BaseLanguageModelInput, RunOutput>;
  override withStructuredOutput<RunOutput extends Record<string, any> = Record<string, any>>(
    outputSchema: InteropZodType<RunOutput> | SerializableSchema<RunOutput> | Record<string, any>,
    config?: StructuredOutputMethodOptions<true>,
  ): Runnable<BaseLanguageModelInput, { raw: BaseMessage; parsed: RunOutput }>;
  override withStructuredOutput<RunOutput extends Record<string, any> = Record<string, any>>(
    outputSchema: InteropZodType<RunOutput> | SerializableSchema<RunOutput> | Record<string, any>,
    config?: StructuredOutputMethodOptions<boolean>,
  ): Runnable<BaseLanguageModelInput, RunOutput> | Runnable<BaseLanguageModelInput, { raw: BaseMessage; parsed: RunOutput }> {
    const method = config?.method ?? LANGCHAIN_METHOD[this.structuredOutputMethod];
    if (config?.includeRaw === true) return super.withStructuredOutput<RunOutput>(outputSchema, { ...config, method, includeRaw: true });
    return super.withStructuredOutput<RunOutput>(outputSchema, { ...config, method, includeRaw: false });
  }
  /* eslint-enable @typescript-eslint/no-explicit-any */
}

/**
 * The hosted / OpenAI-compatible chat model. `streamUsage` makes streamed replies carry token
 * usage (OpenAI's `stream_options.include_usage`), so traces get token counts when streaming.
 * A call that does not answer within OPENAI_TIMEOUT_MS fails; failures are retried at most
 * OPENAI_MAX_RETRIES times (the client's default, 6 with backoff, keeps a turn waiting for minutes);
 * at most OPENAI_MAX_CONCURRENCY calls are in flight, the rest wait in the client.
 */
export function createOpenAIChatModel(llm: AppConfig["llm"]): ChatOpenAI {
  const { apiKey, baseURL, model, structuredOutput, timeoutMs, maxRetries, maxConcurrency } = llm.openai;
  return new OpenAICompatibleChatModel(
    {
      model,
      apiKey: apiKey ?? (baseURL ? PLACEHOLDER_API_KEY : undefined),
      configuration: baseURL ? { baseURL } : undefined,
      temperature: llm.temperature,
      maxTokens: llm.maxTokens,
      modelKwargs: { seed: llm.seed },
      streamUsage: true,
      timeout: timeoutMs,
      maxRetries,
      maxConcurrency,
    },
    structuredOutput,
  );
}
