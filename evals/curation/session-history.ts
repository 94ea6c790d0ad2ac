import { SemanticConventions as SC } from "@arizeai/openinference-semantic-conventions";
import type { HistoryTurn } from "@/lib/datasets/dataset-example";
import type { TraceReader } from "@/lib/telemetry/trace-log/trace-reader";
import { agentRoot } from "./trace-summary";

/**
 * The conversation before a trace, rebuilt from the earlier traces of its session: each earlier
 * `chat` root gives the user's message (`input.value`) and the answer (`output.value`). What the
 * agent saw came from its in-memory session store (the last 20 turns); the traces hold the same
 * turns as long as they are in the store the curation reads.
 */

/** The session store keeps this many turns (lib/sessions), so the agent never saw more. */
export const HISTORY_MAX_TURNS = 20;
/** Session memory lives in one server process: a conversation older than a day was not remembered. */
export const HISTORY_LOOKBACK_MS = 24 * 3_600_000;

export async function sessionHistory(
  reader: TraceReader,
  trace: { traceId: string; sessionId?: string; tracedAtMs: number },
  maxTurns = HISTORY_MAX_TURNS,
): Promise<HistoryTurn[] | undefined> {
  if (!trace.sessionId) return undefined;
  const earlier = await reader.rootSpans({
    sessionId: trace.sessionId,
    since: trace.tracedAtMs - HISTORY_LOOKBACK_MS,
    until: trace.tracedAtMs,
    limit: maxTurns + 1,
  });
  const turns = earlier
    .filter((root) => root.traceId !== trace.traceId && agentRoot([root]) !== undefined)
    .slice(0, maxTurns)
    .reverse()
    .flatMap((root): HistoryTurn[] => {
      const user = root.attributes[SC.INPUT_VALUE];
      const assistant = root.attributes[SC.OUTPUT_VALUE];
      if (typeof user !== "string") return [];
      return [
        { role: "user", content: user },
        { role: "assistant", content: typeof assistant === "string" ? assistant : "" },
      ];
    });
  return turns.length > 0 ? turns : undefined;
}
