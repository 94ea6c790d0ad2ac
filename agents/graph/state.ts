import { Annotation } from "@langchain/langgraph";
import type { Turn } from "@/lib/sessions/session-store";
import type { ScoredChunk } from "@/lib/vectorstore/types";
import type { Source } from "../contract";
import type { QueryRewrite } from "../query-rewrite";
import type { Observation, RoutingDecision, StopReason, ToolCall } from "./types";

/** The agent's state as the graph passes it between nodes. */
export const AgentState = Annotation.Root({
  message: Annotation<string>,
  history: Annotation<Turn[]>,
  /** The query routing, retrieval and the answer use: the message, or a follow-up rewritten into a standalone question. */
  rewrite: Annotation<QueryRewrite>,
  decision: Annotation<RoutingDecision | undefined>,
  /** Set once the route node has recorded the decision. */
  recorded: Annotation<boolean>,
  /** Tool calls the act node runs next. */
  plan: Annotation<ToolCall[]>,
  observations: Annotation<Observation[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
  /** Reason steps taken (the step limit counts these). */
  stepCount: Annotation<number>,
  stop: Annotation<StopReason | undefined>,
  /** Passages the last search returned: the answer's sources. */
  passages: Annotation<ScoredChunk[] | undefined>,
  sources: Annotation<Source[]>,
  answer: Annotation<string>,
});
export type AgentStateValue = typeof AgentState.State;

/** The state a new turn starts from. */
export function initialState(
  message: string,
  history: Turn[],
  rewrite: QueryRewrite = { query: message, rewritten: false },
): AgentStateValue {
  return {
    message,
    history,
    rewrite,
    decision: undefined,
    recorded: false,
    plan: [],
    observations: [],
    stepCount: 0,
    stop: undefined,
    passages: undefined,
    sources: [],
    answer: "",
  };
}
