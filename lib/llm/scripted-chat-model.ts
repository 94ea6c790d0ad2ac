import type { BaseChatModelParams, LangSmithParams } from "@langchain/core/language_models/chat_models";
import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import type { BaseMessage } from "@langchain/core/messages";
import type { ChatGenerationChunk } from "@langchain/core/outputs";
import { AppError } from "../errors";
import { closingChunk, textChunks } from "./generation-chunks";
import { JsonSchemaChatModel } from "./json-schema-chat-model";
import { messageText } from "./messages";
import type { StructuredOutputRequest } from "./structured-output";

/**
 * FOR TESTS ONLY. A deterministic stand-in for a chat model: it does not generate anything,
 * it replays a script. It streams each reply token by token (whitespace-delimited tokens),
 * reports token usage like a real model (input = whitespace tokens of all messages, output =
 * tokens streamed), honours abort signals, can fail mid-stream, and supports
 * `withStructuredOutput` (a scripted `json` reply is serialised and validated like real output).
 */

/** One scripted reply. */
export type ScriptedReply =
  | string
  | {
      /** The reply text. */
      text?: string;
      /** For structured calls: serialised with JSON.stringify and streamed as text. */
      json?: unknown;
      /** Throw `error` after streaming this many tokens (0 = before the first token). */
      failAfterTokens?: number;
      /** What to throw when `failAfterTokens` is set. Default: AppError("llm_failed"). */
      error?: Error;
    };

/** What a script function is given for each call. */
export interface ScriptedTurn {
  /** 0 for the first call to this model instance, 1 for the second… */
  callIndex: number;
  messages: BaseMessage[];
  /** The text of the last human message ("" when there is none). */
  prompt: string;
  /** Set when the call came through `withStructuredOutput`. */
  structuredOutput?: StructuredOutputRequest;
}

export type Script = readonly ScriptedReply[] | ((turn: ScriptedTurn) => ScriptedReply | Promise<ScriptedReply>);

export interface ScriptedChatModelFields extends BaseChatModelParams {
  /**
   * Replies in order (the model throws once they run out), or a function of the call.
   */
  script: Script;
  /** The name traces show. Default "scripted". */
  modelName?: string;
  /** Delay between streamed tokens, to exercise timing and abort paths. Default 0. */
  tokenDelayMs?: number;
}

/** A recorded call, for assertions. */
export interface ScriptedCall {
  messages: BaseMessage[];
  structuredOutput?: StructuredOutputRequest;
  reply: string;
}

/** Splits text into whitespace tokens that concatenate back to the text: "a b" → ["a", " b"]. */
export function whitespaceTokens(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

export function countWhitespaceTokens(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

export class ScriptedChatModel extends JsonSchemaChatModel {
  static override lc_name(): string {
    return "ScriptedChatModel";
  }

  readonly modelName: string;
  readonly tokenDelayMs: number;
  /** Every call so far, in order. */
  readonly calls: ScriptedCall[] = [];
  private readonly script: Script;

  constructor(fields: ScriptedChatModelFields) {
    super(fields);
    this.script = fields.script;
    this.modelName = fields.modelName ?? "scripted";
    this.tokenDelayMs = fields.tokenDelayMs ?? 0;
  }

  _llmType(): string {
    return "scripted";
  }

  override get callKeys(): string[] {
    return [...super.callKeys, "structuredOutput"];
  }

  override invocationParams(options?: this["ParsedCallOptions"]) {
    return {
      model: this.modelName,
      ...(options?.structuredOutput ? { response_format: { type: "json_schema", json_schema: options.structuredOutput } } : {}),
    };
  }

  override getLsParams(_options: this["ParsedCallOptions"]): LangSmithParams {
    return { ls_provider: "scripted", ls_model_name: this.modelName, ls_model_type: "chat" };
  }

  private async nextReply(messages: BaseMessage[], structuredOutput?: StructuredOutputRequest): Promise<ScriptedReply> {
    const callIndex = this.calls.length;
    if (typeof this.script === "function") {
      const lastHuman = [...messages].reverse().find((m) => m.getType() === "human");
      return this.script({ callIndex, messages, prompt: lastHuman ? messageText(lastHuman) : "", structuredOutput });
    }
    const reply = this.script[callIndex];
    if (reply === undefined) {
      throw new AppError("internal", `ScriptedChatModel: the script has ${this.script.length} replies, call ${callIndex + 1} has none`);
    }
    return reply;
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const signal = options.signal;
    const checkAbort = () => {
      if (signal?.aborted) throw new AppError("aborted", "The request was aborted", { cause: signal.reason });
    };
    checkAbort();
    const reply = await this.nextReply(messages, options.structuredOutput);
    const spec = typeof reply === "string" ? { text: reply } : reply;
    const text = spec.json !== undefined ? JSON.stringify(spec.json) : (spec.text ?? "");
    this.calls.push({ messages, structuredOutput: options.structuredOutput, reply: text });

    const inputTokens = messages.reduce((sum, m) => sum + countWhitespaceTokens(messageText(m)), 0);
    let streamed = 0;
    const tokenDelayMs = this.tokenDelayMs;
    async function* scriptedTokens(): AsyncGenerator<string> {
      for (const token of whitespaceTokens(text)) {
        if (spec.failAfterTokens !== undefined && streamed >= spec.failAfterTokens) break;
        if (tokenDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, tokenDelayMs));
        checkAbort();
        yield token;
        streamed += 1;
      }
    }
    yield* textChunks(scriptedTokens(), runManager);
    if (spec.failAfterTokens !== undefined) {
      throw spec.error ?? new AppError("llm_failed", `ScriptedChatModel: scripted failure after ${streamed} tokens`);
    }
    yield closingChunk({ modelName: this.modelName, provider: "scripted", finishReason: "stop", inputTokens, outputTokens: streamed });
  }
}
