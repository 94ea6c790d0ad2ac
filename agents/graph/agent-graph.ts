import { END, type LangGraphRunnableConfig, START, StateGraph } from "@langchain/langgraph";
import { contextOfLangChainRun, spanOfLangChainRun } from "@/lib/telemetry/langchain-run-span";
import { AgentRun } from "./agent-run";
import { actNode } from "./nodes/act-node";
import { DEFAULT_MAX_STEPS, reasonNode } from "./nodes/reason-node";
import { respondNode } from "./nodes/respond-node";
import { routeNode } from "./nodes/route-node";
import { isFixable } from "./plan";
import { AgentState, type AgentStateValue } from "./state";
import type { AgentDeps } from "./types";

/**
 * reason → route → act → (reason again | respond) → END.
 *
 * - reason: routes the message and plans the call(s); after a fixable error, repairs the call.
 * - route: records the decision as a `route` step (candidates, scores, confidence, model consulted).
 * - act: runs the planned calls with a timeout; errors become observations.
 * - respond: writes the answer (see ../answer/respond.ts) and streams it.
 *
 * Compiled once per set of dependencies; what belongs to a request (events, abort signal)
 * reaches the nodes as an `AgentRun` in `configurable`.
 */
export function compileAgentGraph(deps: AgentDeps) {
  const maxRepairs = deps.maxRepairs ?? 1;
  const maxSteps = deps.maxSteps ?? DEFAULT_MAX_STEPS;

  /** After act: answer, repair a fixable error (within the repair and step limits), or say the limit was hit. */
  function afterAct(state: AgentStateValue): "reason" | "respond" | "limit" {
    if (state.stop) return "respond";
    const last = state.observations.at(-1);
    if (!last || !isFixable(last)) return "respond";
    // Out of steps with a fixable error still open: say so.
    if (state.stepCount >= maxSteps) return "limit";
    const attempts = state.observations.filter((o) => o.tool === last.tool).length;
    return attempts <= maxRepairs ? "reason" : "respond";
  }

  return new StateGraph(AgentState)
    .addNode("reason", (state: AgentStateValue, config: LangGraphRunnableConfig) => reasonNode(state, deps, AgentRun.of(config)))
    .addNode("route", (state: AgentStateValue, config: LangGraphRunnableConfig) =>
      routeNode(state, AgentRun.of(config), spanOfLangChainRun(config)),
    )
    .addNode("act", (state: AgentStateValue, config: LangGraphRunnableConfig) => actNode(state, deps, AgentRun.of(config)))
    .addNode("limit", () => ({ stop: "step_limit" as const }))
    .addNode("respond", (state: AgentStateValue, config: LangGraphRunnableConfig) =>
      respondNode(state, deps, AgentRun.of(config), contextOfLangChainRun(config)),
    )
    .addEdge(START, "reason")
    .addEdge("reason", "route")
    .addConditionalEdges("route", (s: AgentStateValue) => (s.plan.length > 0 ? "act" : "respond"), ["act", "respond"])
    .addConditionalEdges("act", afterAct, ["reason", "respond", "limit"])
    .addEdge("limit", "respond")
    .addEdge("respond", END)
    .compile();
}

export type AgentGraph = ReturnType<typeof compileAgentGraph>;

const compiled = new WeakMap<AgentDeps, AgentGraph>();

/** The graph for these dependencies, compiled on first use. */
export function agentGraphFor(deps: AgentDeps): AgentGraph {
  let graph = compiled.get(deps);
  if (!graph) {
    graph = compileAgentGraph(deps);
    compiled.set(deps, graph);
  }
  return graph;
}
