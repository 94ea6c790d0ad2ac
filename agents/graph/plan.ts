import { AppError } from "@/lib/errors";
import type { Turn } from "@/lib/sessions/session-store";
import { isRouteName, routeDefinition, type RouteName } from "../routes/registry";
import type { PlanInput, PlannedCall, RouteDefinition } from "../routes/route";
import type { AgentRun } from "./agent-run";
import { isFollowUp } from "./follow-up";
import { fillArgumentsWithModel } from "./model-arguments";
import { repairNote } from "../prompts/tool-arguments";
import type { AgentDeps, Observation, RoutingDecision, ToolCall } from "./types";

/** What a route's planning hooks get for this turn. */
export function planInput(
  message: string,
  history: Turn[],
  decision: Pick<RoutingDecision, "candidates">,
  deps: AgentDeps,
  run: AgentRun,
): PlanInput {
  return {
    message,
    history,
    followUp: isFollowUp(message, history),
    candidates: decision.candidates,
    chatModel: deps.chatModel,
    signal: run.signal,
    usePrompt: (prompt) => run.usePrompt(prompt),
  };
}

/** A route's call, checked against the registry (routes name each other by string). */
export function toToolCall(planned: PlannedCall): ToolCall {
  if (!isRouteName(planned.tool)) throw new AppError("internal", `a route planned a call to an unknown tool: ${planned.tool}`);
  return { tool: planned.tool, args: planned.args, argsFrom: planned.argsFrom };
}

/** The route's arguments: its own rules, else the model fills its argument schema. */
export async function argumentsFor(route: RouteName, input: PlanInput): Promise<ToolCall> {
  const definition = routeDefinition(route);
  if (definition.planArguments) return toToolCall(await definition.planArguments(input));
  if (!definition.modelArguments) throw new AppError("internal", `route ${route} has neither planArguments nor modelArguments`);
  const out = await fillArgumentsWithModel(route, definition.modelArguments, input);
  return { tool: route, args: out ?? {}, argsFrom: out ? "model" : "default" };
}

/** The main call and the companions its route plans beside it. */
export async function planCalls(decision: RoutingDecision, input: PlanInput): Promise<ToolCall[]> {
  const main = await argumentsFor(decision.route, input);
  return [main, ...companionsOf(main, input)];
}

/** Calls a route plans beside a call it did not plan itself (a native tool call, say). */
export function companionsOf(main: ToolCall, input: PlanInput): ToolCall[] {
  return (routeDefinition(main.tool).companions?.(main, input) ?? []).map(toToolCall);
}

/**
 * After an error the model can fix (invalid arguments, failing code), the model is asked once
 * for new arguments with the error in the prompt. Undefined when the route has no
 * model-filled arguments, or the model has nothing usable to offer.
 */
export async function repairCall(failed: Observation, input: PlanInput): Promise<ToolCall | undefined> {
  const definition: RouteDefinition = routeDefinition(failed.tool);
  if (!definition.modelArguments) return undefined;
  const problem = failed.error ? `${failed.error.code}: ${failed.error.message}` : (failed.output ?? "").slice(0, 400);
  const out = await fillArgumentsWithModel(failed.tool, definition.modelArguments, input, repairNote(failed.args, problem));
  return out ? { tool: failed.tool, args: out, argsFrom: "model" } : undefined;
}

/** Whether an observation reports a problem a new attempt could fix. */
export function isFixable(observation: Observation): boolean {
  if (observation.error) return observation.error.code === "tool_input_invalid";
  return observation.outcome?.fixable ?? false;
}
