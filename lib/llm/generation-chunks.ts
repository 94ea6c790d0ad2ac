import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import { AIMessageChunk } from "@langchain/core/messages";
import { ChatGenerationChunk } from "@langchain/core/outputs";

/**
 * What the app's own chat models (local and scripted) stream, the way LangChain and tracing
 * read it: each piece of text as a chunk reported as a new token, then one closing chunk with
 * the token usage, the model and the finish reason.
 */

/** Streams text pieces as chunks, reporting each to the run's callbacks after the consumer took it. */
export async function* textChunks(
  texts: AsyncIterable<string>,
  runManager?: CallbackManagerForLLMRun,
): AsyncGenerator<ChatGenerationChunk> {
  for await (const text of texts) {
    const chunk = new ChatGenerationChunk({ text, message: new AIMessageChunk({ content: text }) });
    yield chunk;
    await runManager?.handleLLMNewToken(text, { prompt: 0, completion: 0 }, undefined, undefined, undefined, { chunk });
  }
}

export interface GenerationSummary {
  modelName: string;
  /** `llm.provider` as tracing reports it ("llama.cpp", "scripted"). */
  provider: string;
  /** In OpenAI's words: "stop", "length", "tool_calls", "abort". */
  finishReason: string;
  inputTokens: number;
  outputTokens: number;
}

/** The empty closing chunk that carries usage (`usage_metadata`) and the finish reason. */
export function closingChunk(summary: GenerationSummary): ChatGenerationChunk {
  const { inputTokens, outputTokens, finishReason } = summary;
  return new ChatGenerationChunk({
    text: "",
    message: new AIMessageChunk({
      content: "",
      usage_metadata: { input_tokens: inputTokens, output_tokens: outputTokens, total_tokens: inputTokens + outputTokens },
      response_metadata: { model_name: summary.modelName, model_provider: summary.provider, finish_reason: finishReason },
    }),
    generationInfo: { finish_reason: finishReason },
  });
}
