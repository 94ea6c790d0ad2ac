import { AppError, toAppError } from "@/lib/errors";
import type { Turn } from "@/lib/sessions/session-store";
import type { AgentRun } from "./agent-run";
import { argumentsFor, companionsOf, planCalls, planInput } from "./plan";
import { decideRoute } from "./route-choice";
import { decideWithToolCalling } from "./tool-calling";
import type { AgentDeps, RoutingDecision, ToolCall } from "./types";

/**
 * The route and the calls for a new message: native tool calling with OpenAI, else the
 * semantic router (with the model's choice when it is unsure), both on the turn's query (the
 * message, or a follow-up rewritten into a standalone question). Small talk and off-topic
 * messages get no call. A routing failure falls back to a knowledge base search, said in the
 * decision's reason.
 */
export async function decide(
  message: string,
  history: Turn[],
  deps: AgentDeps,
  run: AgentRun,
  query: string = message,
): Promise<{ decision: RoutingDecision; calls: ToolCall[] }> {
  let decision: RoutingDecision;
  try {
    if (deps.provider === "openai") {
      const native = await decideWithToolCalling(message, history, deps, run, query);
      decision = native.decision;
      if (native.call)
        return { decision, calls: [native.call, ...companionsOf(native.call, planInput(message, history, decision, deps, run))] };
    } else {
      decision = await decideRoute(message, history, deps, run, query);
    }
    if (decision.outOfScope) return { decision, calls: [] };
  } catch (error) {
    if (run.signal?.aborted) throw new AppError("aborted", "The request was aborted", { cause: error });
    const appError = toAppError(error);
    decision = {
      route: "knowledge_base_search",
      reason: `routing failed (${appError.code}: ${appError.message}); searching the knowledge base`,
      confidence: 0,
      candidates: [],
      llmConsulted: deps.provider === "openai",
      method: "router",
      routedText: message,
    };
    return { decision, calls: [await argumentsFor("knowledge_base_search", planInput(message, history, decision, deps, run))] };
  }
  return { decision, calls: await planCalls(decision, planInput(message, history, decision, deps, run)) };
}
