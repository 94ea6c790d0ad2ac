import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { Span } from "@opentelemetry/api";
import { AppError } from "@/lib/errors";
import { modelCallError } from "@/lib/llm/model-call-error";
import { ioAttributes, OpenInferenceSpanKind, withSpan } from "@/lib/telemetry/spans";

/** Where an answer goes as it is written: token deltas to the client, and the request's abort signal. */
export interface Responder {
  emit: (text: string) => void;
  signal?: AbortSignal;
}

/** Splits text into whitespace-led tokens that concatenate back to it: "a b" → ["a", " b"]. */
export function tokens(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

/** Streams an answer assembled in code, token by token, like a model would. */
export function streamText(text: string, out: Responder): string {
  for (const t of tokens(text)) out.emit(t);
  return text;
}

/** Streams a model reply as it comes (or only collects it, `live = false`); aborts and model failures become AppErrors (see modelCallError). */
export async function streamModel(
  model: BaseChatModel,
  messages: Parameters<BaseChatModel["stream"]>[0],
  out: Responder,
  live = true,
): Promise<string> {
  let answer = "";
  try {
    const stream = await model.stream(messages, { signal: out.signal });
    for await (const chunk of stream) {
      const text = typeof chunk.content === "string" ? chunk.content : "";
      if (!text) continue;
      answer += text;
      if (live) out.emit(text);
    }
  } catch (error) {
    if (out.signal?.aborted) throw new AppError("aborted", "The request was aborted", { cause: error });
    throw modelCallError(error);
  }
  return answer;
}

/** The `postprocess` CHAIN span: the model's raw text in, the answer the user gets out. */
export function postprocess(raw: string, finish: (span: Span) => string): Promise<string> {
  return withSpan("postprocess", { kind: OpenInferenceSpanKind.CHAIN, attributes: ioAttributes("input", raw) }, (span) => {
    const answer = finish(span);
    span.setAttributes(ioAttributes("output", answer));
    return Promise.resolve(answer);
  });
}
