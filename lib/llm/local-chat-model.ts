import type { BaseChatModelParams, LangSmithParams } from "@langchain/core/language_models/chat_models";
import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import { AIMessageChunk, type BaseMessage, type UsageMetadata } from "@langchain/core/messages";
import { ChatGenerationChunk } from "@langchain/core/outputs";
import type { ChatHistoryItem, LlamaChatResponse } from "node-llama-cpp";
import { AppError } from "../errors";
import { AsyncQueue } from "./async-queue";
import { JsonSchemaChatModel, type JsonSchemaChatModelCallOptions } from "./json-schema-chat-model";
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
    default:
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

    const { LlamaChat } = await import("node-llama-cpp");

    const sequence = await runtime.acquireSequence(signal);
    let chat: InstanceType<typeof LlamaChat>;
    try {
      chat = new LlamaChat({ contextSequence: sequence, chatWrapper: runtime.chatWrapper, autoDisposeSequence: false });
    } catch (error) {
      runtime.releaseSequence(sequence);
      throw new AppError("llm_failed", `Local chat model failed: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
    // Our own controller: aborted by the caller's signal, or by us when the consumer stops early.
    const controller = new AbortController();
    const forwardAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener("abort", forwardAbort, { once: true });

    const queue = new AsyncQueue<string>();
    let outputTokens = 0;
    let result: LlamaChatResponse | undefined;
    let settled = false;
    const generation = chat
      .generateResponse(history, {
        signal: controller.signal,
        stopOnAbortSignal: false,
        maxTokens: options.maxTokens ?? this.maxTokens,
        temperature: options.temperature ?? this.temperature,
        seed: options.seed ?? this.seed,
        // Tiny models fall into loops ("Q3 2025 Q4 2025 Q3 2025 ..."); a mild penalty on
        // recent tokens breaks them without hurting figures copied from the context.
        ...(grammar ? { grammar } : { repeatPenalty: { penalty: this.repeatPenalty, lastTokens: 64 } }),
        ...(options.stop?.length ? { customStopTriggers: options.stop } : {}),
        onTextChunk: (text) => queue.push(text),
        onToken: (tokens) => {
          outputTokens += tokens.length;
        },
      })
      .then(
        (response) => {
          result = response;
          queue.close();
        },
        (error: unknown) => queue.fail(error),
      )
      .finally(() => {
        // Release here, not in the generator's `finally`: a consumer that stops pulling (an
        // aborted LangChain stream) may never resume the generator.
        settled = true;
        signal?.removeEventListener("abort", forwardAbort);
        chat.dispose({ disposeSequence: false });
        runtime.releaseSequence(sequence);
      });

    try {
      for await (const text of queue) {
        const chunk = new ChatGenerationChunk({ text, message: new AIMessageChunk({ content: text }) });
        yield chunk;
        await runManager?.handleLLMNewToken(text, { prompt: 0, completion: 0 }, undefined, undefined, undefined, { chunk });
      }
    } catch (error) {
      if (signal?.aborted || controller.signal.aborted) throw abortError(signal);
      throw error instanceof AppError
        ? error
        : new AppError("llm_failed", `Local chat model failed: ${error instanceof Error ? error.message : String(error)}`, {
            cause: error,
          });
    } finally {
      // The consumer stopped early (break / return): stop generating.
      if (!settled) controller.abort(new Error("stream closed by consumer"));
      await generation;
    }

    if (!result) throw new AppError("llm_failed", "Local chat model ended without a response");
    const usage: UsageMetadata = {
      input_tokens: inputTokens,
      output_tokens: outputTokens,
      total_tokens: inputTokens + outputTokens,
    };
    const finish = finishReason(result.metadata.stopReason);
    const last = new ChatGenerationChunk({
      text: "",
      message: new AIMessageChunk({
        content: "",
        usage_metadata: usage,
        response_metadata: { model_name: this.modelName, model_provider: "llama.cpp", finish_reason: finish },
      }),
      generationInfo: { finish_reason: finish },
    });
    yield last;
  }
}
