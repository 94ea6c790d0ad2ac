import { context, type Context } from "@opentelemetry/api";
import { respond } from "../../answer/respond";
import { streamText } from "../../answer/stream-answer";
import type { AgentRun } from "../agent-run";
import { scopedReply } from "../scoped-reply";
import type { AgentStateValue } from "../state";
import type { AgentDeps } from "../types";

/**
 * respond: writes and streams the answer; its prompt_assembly and postprocess spans nest under `parent`.
 * Small talk and off-topic messages get the scoped reply. A follow-up rewritten into a standalone
 * question is answered as that question: it carries what the previous turn said, so the answer's
 * evidence and prompt follow the narrowed question rather than the previous one.
 */
export async function respondNode(
  state: AgentStateValue,
  deps: AgentDeps,
  run: AgentRun,
  parent: Context,
): Promise<Partial<AgentStateValue>> {
  if (!state.passages) run.emit({ type: "sources", sources: [] });
  const out = { emit: (text: string) => run.emit({ type: "token", text }), signal: run.signal };
  const scope = state.decision?.outOfScope;
  if (scope) return { answer: streamText(scopedReply(scope.kind, state.message), out) };
  const turn = state.rewrite.rewritten ? { message: state.rewrite.query, history: [] } : { message: state.message, history: state.history };
  const answer = await context.with(parent, () =>
    respond(
      {
        ...turn,
        route: state.decision?.route ?? "knowledge_base_search",
        observations: state.observations,
        stop: state.stop,
        passages: state.passages ?? [],
      },
      deps,
      run,
      out,
    ),
  );
  return { answer };
}
