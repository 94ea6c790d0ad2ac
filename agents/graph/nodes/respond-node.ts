import { context, type Context } from "@opentelemetry/api";
import { respond } from "../../answer/respond";
import type { AgentRun } from "../agent-run";
import type { AgentStateValue } from "../state";
import type { AgentDeps } from "../types";

/** respond: writes and streams the answer; its prompt_assembly and postprocess spans nest under `parent`. */
export async function respondNode(
  state: AgentStateValue,
  deps: AgentDeps,
  run: AgentRun,
  parent: Context,
): Promise<Partial<AgentStateValue>> {
  if (!state.passages) run.emit({ type: "sources", sources: [] });
  const answer = await context.with(parent, () =>
    respond(
      {
        message: state.message,
        history: state.history,
        route: state.decision?.route ?? "knowledge_base_search",
        observations: state.observations,
        stop: state.stop,
        passages: state.passages ?? [],
      },
      deps,
      run,
      { emit: (text) => run.emit({ type: "token", text }), signal: run.signal },
    ),
  );
  return { answer };
}
