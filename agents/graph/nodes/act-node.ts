import { AppError, toAppError } from "@/lib/errors";
import { publicErrorInfo } from "@/lib/http/public-error";
import { toSource } from "../../sources";
import { genericOutcome } from "../../routes/generic-outcome";
import { routeDefinition } from "../../routes/registry";
import { withConversation } from "../../tools/conversation-config";
import type { Turn } from "@/lib/sessions/session-store";
import type { AgentRun } from "../agent-run";
import { callKey, withTimeout } from "../run-tool";
import type { AgentStateValue } from "../state";
import type { AgentDeps, Observation, StopReason, ToolCall } from "../types";

export const DEFAULT_TOOL_TIMEOUT_MS = 15_000;

/**
 * act: runs the planned calls with a timeout; any error becomes an observation; a call
 * identical to an earlier one is not run again and stops the loop. Each output is read once
 * by its route; passages it returns become the answer's sources.
 */
export async function actNode(state: AgentStateValue, deps: AgentDeps, run: AgentRun): Promise<Partial<AgentStateValue>> {
  const observations: Observation[] = [];
  let stop: StopReason | undefined;
  let passages = state.passages;
  let sources = state.sources;
  const seen = new Set(state.observations.map((o) => callKey(o.tool, o.args)));
  for (const call of state.plan) {
    const key = callKey(call.tool, call.args);
    if (seen.has(key)) {
      // The same tool with the same arguments would give the same result: stop here.
      stop = "repeated_call";
      const previous = state.observations.filter((o) => callKey(o.tool, o.args) === key).at(-1);
      if (previous && !observations.includes(previous)) observations.push({ ...previous, ms: 0 });
      break;
    }
    seen.add(key);
    run.step({ type: "tool_start", tool: call.tool, input: call.args });
    const observation = await runCall(call, deps, run, state.history);
    if (observation.outcome?.passages) {
      passages = observation.outcome.passages;
      sources = passages.map(toSource);
      run.emit({ type: "sources", sources });
    }
    run.step({
      type: "tool_end",
      tool: call.tool,
      output: observation.outcome?.summary ?? "",
      ms: observation.ms,
      ...(observation.error ? { error: observation.error } : {}),
    });
    observations.push(observation);
  }
  return { observations, plan: [], stop, passages, sources };
}

async function runCall(call: ToolCall, deps: AgentDeps, run: AgentRun, history: readonly Turn[]): Promise<Observation> {
  const started = performance.now();
  const observation: Observation = { tool: call.tool, args: call.args, ms: 0 };
  try {
    const tool = deps.tools[call.tool];
    const timeoutMs = deps.toolTimeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS;
    const output: unknown = await withTimeout(
      (signal) => tool.invoke(call.args, { signal, ...withConversation(history) }),
      timeoutMs,
      call.tool,
      run.signal,
    );
    observation.output = typeof output === "string" ? output : JSON.stringify(output);
    const route = routeDefinition(call.tool);
    observation.outcome = route.readOutput ? route.readOutput(observation.output, call.args) : genericOutcome(observation.output);
  } catch (error) {
    if (run.signal?.aborted) throw new AppError("aborted", "The request was aborted", { cause: error });
    observation.error = publicErrorInfo(toAppError(error, "tool_failed"));
  }
  observation.ms = Math.round(performance.now() - started);
  return observation;
}
