import { BaseChatModel, type BaseChatModelCallOptions, type BaseChatModelParams } from "@langchain/core/language_models/chat_models";
import type { BaseLanguageModelInput, StructuredOutputMethodOptions } from "@langchain/core/language_models/base";
import { assembleStructuredOutputPipeline } from "@langchain/core/language_models/structured_output";
import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import { AIMessage, AIMessageChunk, type BaseMessage } from "@langchain/core/messages";
import type { ChatGenerationChunk, ChatResult } from "@langchain/core/outputs";
import { RunnableLambda, type Runnable } from "@langchain/core/runnables";
import { AppError } from "../errors";
import { messageText } from "./messages";
import { resolveStructuredSchema, type StructuredOutputRequest, type ZodLikeSchema } from "./structured-output";

export interface JsonSchemaChatModelCallOptions extends BaseChatModelCallOptions {
  /**
   * Constrains the reply to JSON of this schema. Set by `withStructuredOutput`; callers rarely
   * set it themselves.
   */
  structuredOutput?: StructuredOutputRequest;
}

/**
 * A chat model whose `withStructuredOutput` constrains generation to a JSON schema (a call
 * option the subclass honours) instead of LangChain's default tool-calling route, then
 * validates the JSON with the zod schema. The model call stays a normal chat-model run, so
 * callbacks and tracing see it like any other LLM call.
 */
export abstract class JsonSchemaChatModel<
  CallOptions extends JsonSchemaChatModelCallOptions = JsonSchemaChatModelCallOptions,
> extends BaseChatModel<CallOptions> {
  constructor(fields: BaseChatModelParams) {
    super(fields);
  }

  override withStructuredOutput<RunOutput extends Record<string, unknown> = Record<string, unknown>>(
    outputSchema: ZodLikeSchema<RunOutput>,
    config?: StructuredOutputMethodOptions<false>,
  ): Runnable<BaseLanguageModelInput, RunOutput>;
  override withStructuredOutput<RunOutput extends Record<string, unknown> = Record<string, unknown>>(
    outputSchema: ZodLikeSchema<RunOutput>,
    config?: StructuredOutputMethodOptions<true>,
  ): Runnable<BaseLanguageModelInput, { raw: BaseMessage; parsed: RunOutput }>;
  /** A plain JSON Schema object: constrained by grammar, parsed as JSON, not validated further. */
  override withStructuredOutput<RunOutput extends Record<string, unknown> = Record<string, unknown>>(
    outputSchema: object,
    config?: StructuredOutputMethodOptions<false>,
  ): Runnable<BaseLanguageModelInput, RunOutput>;
  override withStructuredOutput<RunOutput extends Record<string, unknown> = Record<string, unknown>>(
    outputSchema: object,
    config?: StructuredOutputMethodOptions<true>,
  ): Runnable<BaseLanguageModelInput, { raw: BaseMessage; parsed: RunOutput }>;
  override withStructuredOutput<RunOutput extends Record<string, unknown> = Record<string, unknown>>(
    outputSchema: ZodLikeSchema<RunOutput> | object,
    config?: StructuredOutputMethodOptions<boolean>,
  ): Runnable<BaseLanguageModelInput, RunOutput> | Runnable<BaseLanguageModelInput, { raw: BaseMessage; parsed: RunOutput }> {
    const resolved = resolveStructuredSchema<RunOutput>(outputSchema, config?.name);
    const bound = this.withConfig({ structuredOutput: resolved.request } as Partial<CallOptions>);
    const parser = RunnableLambda.from((message: BaseMessage): RunOutput => resolved.parse(messageText(message)));
    return assembleStructuredOutputPipeline<RunOutput>(bound, parser, config?.includeRaw === true, "StructuredOutput");
  }

  /**
   * Subclasses stream natively; a whole generation is that stream aggregated, so both
   * paths report the same text, token usage and finish reason.
   */
  override async _generate(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    let aggregate: ChatGenerationChunk | undefined;
    for await (const chunk of this._streamResponseChunks(messages, options, runManager)) {
      aggregate = aggregate ? aggregate.concat(chunk) : chunk;
    }
    if (!aggregate) throw new AppError("llm_failed", `${this._llmType()} produced no output`);
    const chunkMessage = aggregate.message;
    const text = messageText(chunkMessage);
    const usage = AIMessageChunk.isInstance(chunkMessage) ? chunkMessage.usage_metadata : undefined;
    return {
      generations: [
        {
          text,
          message: new AIMessage({ content: text, usage_metadata: usage, response_metadata: chunkMessage.response_metadata }),
          generationInfo: aggregate.generationInfo,
        },
      ],
      llmOutput: {
        tokenUsage: {
          promptTokens: usage?.input_tokens ?? 0,
          completionTokens: usage?.output_tokens ?? 0,
          totalTokens: usage?.total_tokens ?? 0,
        },
      },
    };
  }
}
