import type { Turn } from "@/lib/sessions/session-store";
import type { HistoryTurn } from "./dataset-example";

/** A dataset example's history as session turns: each user message with the assistant reply after it (an unpaired message is dropped). */
export function historyTurns(history: readonly HistoryTurn[]): Turn[] {
  const turns: Turn[] = [];
  for (let i = 0; i + 1 < history.length; i++) {
    const [user, assistant] = [history[i]!, history[i + 1]!];
    if (user.role === "user" && assistant.role === "assistant") {
      turns.push({ user: user.content, assistant: assistant.content });
      i++;
    }
  }
  return turns;
}
