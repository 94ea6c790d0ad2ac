import { withDeadline } from "@/lib/async/with-deadline";
import { AppError } from "@/lib/errors";
import type { ChatRequest, ChatResult } from "./contract";
import { runAgentChat } from "./graph/run-agent-chat";
import type { AgentDeps } from "./graph/types";
import { scheduleOnlineEval } from "./online-eval";

/** What a turn that ran out of time ends with: the stream's error event, or JSON mode's 504. */
export function turnDeadlineError(ms: number): AppError {
  return new AppError(
    "turn_deadline",
    `No answer within ${Math.round(ms / 1000)} s: the server is slow or busy; try again or ask something simpler`,
  );
}

/** One turn for JSON mode: the whole answer within the deadline, or `turn_deadline`; the turn is stopped either way. */
export async function runChatTurn(
  request: ChatRequest,
  loadDeps: () => Promise<AgentDeps>,
  options: { deadlineMs: number; signal?: AbortSignal },
): Promise<ChatResult> {
  const result = await withDeadline(
    async (signal) => runAgentChat(request, await loadDeps(), { signal }),
    options.deadlineMs,
    turnDeadlineError(options.deadlineMs),
    options.signal,
  );
  scheduleOnlineEval({ message: request.message, result });
  return result;
}

/**
 * `events`, with `release` called once they end, the consumer leaves, or `signal` aborts. A
 * stream the client drops before reading never starts its generator (so its `finally` never
 * runs): the signal covers that case.
 */
export function releaseWhenDone<T>(events: AsyncIterable<T>, release: () => void, signal?: AbortSignal): AsyncGenerator<T> {
  // Registered now, not on the first read: a generator's body runs only when it is read.
  signal?.addEventListener("abort", release, { once: true });
  async function* guarded(): AsyncGenerator<T> {
    try {
      yield* events;
    } finally {
      signal?.removeEventListener("abort", release);
      release();
    }
  }
  return guarded();
}
