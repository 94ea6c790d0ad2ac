import type { BaseChatModelParams, LangSmithParams } from "@langchain/core/language_models/chat_models";
import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import type { BaseMessage } from "@langchain/core/messages";
import type { ChatGenerationChunk } from "@langchain/core/outputs";
import type { ChatHistoryItem, LlamaChatResponse } from "node-llama-cpp";
import { AppError } from "../errors";
import { closingChunk, textChunks } from "./generation-chunks";
import { JsonSchemaChatModel, type JsonSchemaChatModelCallOptions } from "./json-schema-chat-model";
import { localModelFailure, startLocalGeneration } from "./local-generation";
import { abortError, getLocalRuntime, type LocalRuntime } from "./local-runtime";
import { toLlamaChatHistory } from "./messages";

export interface LocalChatModelFields extends BaseChatModelParams {
  /** Absolute path of the GGUF file. */
  modelPath: string;
  /** The name traces and pricing use, e.g. "smollm2-135m". */
  modelName: string;
  /** Tokens per sequence (prompt + answer). Default 4096. */
  contextSize?: number;
  /** Threads per evaluation; 0 = auto: all cores but one, at most 8 (see `resolveThreads`). Default 0. */
  threads?: number;
  /** Generations that may run at once; more wait for a free slot. Default 1. */
  parallelSequences?: number;
  /** 0 = greedy (deterministic). Default 0. */
  temperature?: number;
  /** Most tokens to generate. Default 384. */
  maxTokens?: number;
  /** Sampling seed (matters when temperature > 0). Default 42. */
  seed?: number;
  /** Penalty on tokens repeated within the last 64 (1 = off). Default 1.15. */
  repeatPenalty?: number;
}

export interface LocalChatModelCallOptions extends JsonSchemaChatModelCallOptions {
  temperature?: number;
  maxTokens?: number;
  seed?: number;
}

/** Finish reasons, named as OpenAI names them so downstream code sees one vocabulary. */
function finishReason(stopReason: LlamaChatResponse["metadata"]["stopReason"]): string {
  switch (stopReason) {
    case "maxTokens":
      return "length";
    case "abort":
      return "abort";
    case "functionCalls":
      return "tool_calls";
    case "eogToken":
    case "stopGenerationTrigger":
    case "customStopTrigger":
      return "stop";
  }
}

/**
 * A GGUF model run in-process by node-llama-cpp, as a LangChain chat model: token streaming
 * through `handleLLMNewToken`, token usage on the message (`usage_metadata`) and in
 * `llmOutput.tokenUsage`, abort signals, temperature / maxTokens / seed, stop sequences, and
 * grammar-constrained JSON through `withStructuredOutput(zodSchema)`.
 *
 * The model file is loaded on the first call and shared by every instance in the process.
 */
export class LocalChatModel extends JsonSchemaChatModel<LocalChatModelCallOptions> {
  static override lc_name(): string {
    return "LocalChatModel";
  }

  readonly modelPath: string;
  readonly modelName: string;
  readonly contextSize: number;
  readonly threads: number;
  readonly parallelSequences: number;
  readonly temperature: number;
  readonly maxTokens: number;
  readonly seed: number;
  readonly repeatPenalty: number;

  constructor(fields: LocalChatModelFields) {
    super(fields);
    this.modelPath = fields.modelPath;
    this.modelName = fields.modelName;
    this.contextSize = fields.contextSize ?? 4096;
    this.threads = fields.threads ?? 0;
    this.parallelSequences = fields.parallelSequences ?? 1;
    this.temperature = fields.temperature ?? 0;
    this.maxTokens = fields.maxTokens ?? 384;
    this.seed = fields.seed ?? 42;
    this.repeatPenalty = fields.repeatPenalty ?? 1.15;
  }

  _llmType(): string {
    return "llama.cpp";
  }

  override get callKeys(): string[] {
    return [...super.callKeys, "temperature", "maxTokens", "seed", "structuredOutput"];
  }

  /** Loads the model now instead of on the first call (start-up warm-up, benchmarks). */
  async load(): Promise<LocalRuntime> {
    return getLocalRuntime({
      modelPath: this.modelPath,
      contextSize: this.contextSize,
      threads: this.threads,
      sequences: this.parallelSequences,
    });
  }

  override invocationParams(options?: this["ParsedCallOptions"]) {
    return {
      model: this.modelName,
      temperature: options?.temperature ?? this.temperature,
      max_tokens: options?.maxTokens ?? this.maxTokens,
      seed: options?.seed ?? this.seed,
      ...(options?.stop?.length ? { stop: options.stop } : {}),
      ...(options?.structuredOutput
        ? {
            response_format: {
              type: "json_schema",
              json_schema: { name: options.structuredOutput.name, schema: options.structuredOutput.schema },
            },
          }
        : {}),
    };
  }

  override getLsParams(options: this["ParsedCallOptions"]): LangSmithParams {
    return {
      ls_provider: "llama.cpp",
      ls_model_name: this.modelName,
      ls_model_type: "chat",
      ls_temperature: options.temperature ?? this.temperature,
      ls_max_tokens: options.maxTokens ?? this.maxTokens,
      ...(options.stop?.length ? { ls_stop: options.stop } : {}),
    };
  }

  /** Prompt tokens as the model sees them: the chat history rendered by the chat wrapper. */
  private countPromptTokens(runtime: LocalRuntime, history: ChatHistoryItem[]): number {
    const { contextText } = runtime.chatWrapper.generateContextState({ chatHistory: history });
    return contextText.tokenize(runtime.model.tokenizer).length;
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const signal = options.signal;
    if (signal?.aborted) throw abortError(signal);
    const runtime = await this.load();
    const history = toLlamaChatHistory(messages);
    const inputTokens = this.countPromptTokens(runtime, history);
    const grammar = options.structuredOutput ? await runtime.grammarFor(options.structuredOutput.schema) : undefined;
    const settings = {
      maxTokens: options.maxTokens ?? this.maxTokens,
      temperature: options.temperature ?? this.temperature,
      seed: options.seed ?? this.seed,
      repeatPenalty: this.repeatPenalty,
      stop: options.stop,
      grammar,
    };
    const generation = await startLocalGeneration(runtime, history, settings, signal);
    try {
      yield* textChunks(generation.texts, runManager);
    } catch (error) {
      if (signal?.aborted || generation.aborted()) throw abortError(signal);
      throw error instanceof AppError ? error : localModelFailure(error);
    } finally {
      // The consumer stopped early (break / return): stop generating.
      generation.stop();
      await generation.done;
    }

    const response = generation.response();
    if (!response) throw new AppError("llm_failed", "Local chat model ended without a response");
    yield closingChunk({
      modelName: this.modelName,
      provider: "llama.cpp",
      finishReason: finishReason(response.metadata.stopReason),
      inputTokens,
      outputTokens: generation.outputTokens(),
    });
  }
}
