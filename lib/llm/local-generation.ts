import type { ChatHistoryItem, LlamaChatResponse, LlamaGrammar } from "node-llama-cpp";
import { AppError } from "../errors";
import { AsyncQueue } from "./async-queue";
import type { LocalRuntime } from "./local-runtime";

/**
 * One reply generated on the local runtime: a context sequence borrowed for it, node-llama-cpp's
 * text callbacks turned into an async iterable, and the sequence handed back when generation
 * ends, however it ends.
 */

export interface GenerationSettings {
  maxTokens: number;
  temperature: number;
  seed: number;
  /** Penalty on tokens repeated within the last 64 (ignored with a grammar). */
  repeatPenalty: number;
  stop?: string[];
  /** Constrains the reply (structured output). */
  grammar?: LlamaGrammar;
}

export interface LocalGeneration {
  /** The reply as it is generated; throws what generation failed with. */
  texts: AsyncIterable<string>;
  /** Settles (never rejects) once generation ended and the sequence is back. */
  done: Promise<void>;
  /** Whether generation was aborted: by the caller's signal, or by `stop`. */
  aborted(): boolean;
  /** Stops a generation still running (its consumer stopped reading). */
  stop(): void;
  /** The response, once `done` settled after a success. */
  response(): LlamaChatResponse | undefined;
  outputTokens(): number;
}

export function localModelFailure(error: unknown): AppError {
  return new AppError("llm_failed", `Local chat model failed: ${error instanceof Error ? error.message : String(error)}`, {
    cause: error,
  });
}

export async function startLocalGeneration(
  runtime: LocalRuntime,
  history: ChatHistoryItem[],
  settings: GenerationSettings,
  signal?: AbortSignal,
): Promise<LocalGeneration> {
  const { LlamaChat } = await import("node-llama-cpp");
  const sequence = await runtime.acquireSequence(signal);
  let chat: InstanceType<typeof LlamaChat>;
  try {
    chat = new LlamaChat({ contextSequence: sequence, chatWrapper: runtime.chatWrapper, autoDisposeSequence: false });
  } catch (error) {
    runtime.releaseSequence(sequence);
    throw localModelFailure(error);
  }
  // Our own controller: aborted by the caller's signal, or by us when the consumer stops early.
  const controller = new AbortController();
  const forwardAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener("abort", forwardAbort, { once: true });

  const queue = new AsyncQueue<string>();
  let outputTokens = 0;
  let response: LlamaChatResponse | undefined;
  let settled = false;
  const done = chat
    .generateResponse(history, {
      signal: controller.signal,
      stopOnAbortSignal: false,
      maxTokens: settings.maxTokens,
      temperature: settings.temperature,
      seed: settings.seed,
      // Tiny models fall into loops ("Q3 2025 Q4 2025 Q3 2025 ..."); a mild penalty on
      // recent tokens breaks them without hurting figures copied from the context.
      ...(settings.grammar ? { grammar: settings.grammar } : { repeatPenalty: { penalty: settings.repeatPenalty, lastTokens: 64 } }),
      ...(settings.stop?.length ? { customStopTriggers: settings.stop } : {}),
      onTextChunk: (text) => queue.push(text),
      onToken: (tokens) => {
        outputTokens += tokens.length;
      },
    })
    .then(
      (result) => {
        response = result;
        queue.close();
      },
      (error: unknown) => queue.fail(error),
    )
    .finally(() => {
      // Released here, not when the consumer finishes: a consumer that stops pulling (an
      // aborted LangChain stream) may never get that far.
      settled = true;
      signal?.removeEventListener("abort", forwardAbort);
      chat.dispose({ disposeSequence: false });
      runtime.releaseSequence(sequence);
    });

  return {
    texts: queue,
    done,
    aborted: () => controller.signal.aborted,
    stop: () => {
      if (!settled) controller.abort(new Error("stream closed by consumer"));
    },
    response: () => response,
    outputTokens: () => outputTokens,
  };
}
