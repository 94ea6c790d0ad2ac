import { toAppError } from "@/lib/errors";
import { publicErrorInfo } from "@/lib/http/public-error";
import type { ChatEvent, ChatRequest } from "./contract";
import { withDeadline } from "@/lib/async/with-deadline";
import { turnDeadlineError } from "./chat-turn";
import { runAgentChat } from "./graph/run-agent-chat";
import { scheduleOnlineEval } from "./online-eval";
import type { AgentDeps } from "./graph/types";

const DEFAULT_TURN_DEADLINE_MS = 120_000;

/**
 * One agent turn as a stream of events that always ends cleanly: whatever fails (the
 * index, the model, mid-answer, the turn's deadline) becomes one `error` event followed by
 * `done`, never a hung connection or a half-closed stream.
 */
export async function* streamChatEvents(
  request: ChatRequest,
  loadDeps: () => Promise<AgentDeps>,
  signal?: AbortSignal,
  deadlineMs = DEFAULT_TURN_DEADLINE_MS,
): AsyncGenerator<ChatEvent> {
  const queue: ChatEvent[] = [];
  let wake: (() => void) | undefined;
  let finished = false;
  const push = (event: ChatEvent) => {
    queue.push(event);
    wake?.();
  };

  const abort = new AbortController();
  const onAbort = () => abort.abort();
  signal?.addEventListener("abort", onAbort, { once: true });

  const running = (async () => {
    try {
      const result = await withDeadline(
        async (turn) => runAgentChat(request, await loadDeps(), { emit: push, signal: turn }),
        deadlineMs,
        turnDeadlineError(deadlineMs),
        abort.signal,
      );
      scheduleOnlineEval({ message: request.message, result });
    } catch (error) {
      const appError = toAppError(error);
      if (appError.code !== "aborted") push({ type: "error", ...publicErrorInfo(appError) });
    } finally {
      push({ type: "done" });
      finished = true;
      wake?.();
    }
  })();

  try {
    for (;;) {
      const event = queue.shift();
      if (event) {
        yield event;
        if (event.type === "done") break;
        continue;
      }
      if (finished) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  } finally {
    // The consumer left early (client disconnected): stop the model.
    abort.abort();
    signal?.removeEventListener("abort", onAbort);
    await running;
  }
}
