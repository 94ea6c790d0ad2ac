import type { AgentRun } from "../agent-run";
import { decide } from "../decide";
import { planInput, repairCall } from "../plan";
import type { AgentStateValue } from "../state";
import type { AgentDeps } from "../types";

export const DEFAULT_MAX_STEPS = 4;

/**
 * reason: on a new message, routes it and plans the call(s); after a fixable error, asks the
 * model for corrected arguments. Counts steps; past the limit it stops.
 */
export async function reasonNode(state: AgentStateValue, deps: AgentDeps, run: AgentRun): Promise<Partial<AgentStateValue>> {
  if (state.stepCount >= (deps.maxSteps ?? DEFAULT_MAX_STEPS)) return { stop: "step_limit", plan: [] };
  const stepCount = state.stepCount + 1;
  if (!state.decision) {
    const { decision, calls } = await decide(state.message, state.history, deps, run, state.rewrite.query);
    return { decision, plan: calls, stepCount };
  }
  const failed = state.observations.at(-1);
  const repair = failed ? await repairCall(failed, planInput(state.message, state.history, state.decision, deps, run)) : undefined;
  return { plan: repair ? [repair] : [], stepCount };
}
