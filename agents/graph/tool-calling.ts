import { AIMessage, type BaseMessage, HumanMessage, SystemMessage } from "@langchain/core/messages";
import { modelCallError } from "@/lib/llm/model-call-error";
import type { Turn } from "@/lib/sessions/session-store";
import { TOOL_CALLING_PROMPT, TOOL_CALLING_SYSTEM } from "../prompts/tool-calling";
import { isRouteName, ROUTES } from "../routes/registry";
import type { AgentRun } from "./agent-run";
import { round, roundCandidates, routeTurn } from "./route-choice";
import type { AgentDeps, RoutingDecision, ToolCall } from "./types";

/**
 * OpenAI (or any OpenAI-compatible server): native tool calling. The model sees every route's
 * tool and picks one with its arguments; the semantic router's candidates are still recorded.
 * When the model calls no tool, the router's route and the route's own arguments are used.
 */
export async function decideWithToolCalling(
  message: string,
  history: Turn[],
  deps: AgentDeps,
  run: AgentRun,
  query: string = message,
): Promise<{ decision: RoutingDecision; call?: ToolCall }> {
  const first = await routeTurn(message, history, deps, query);
  if ("decision" in first) return { decision: first.decision };
  const { routed, routedText } = first;
  const base = { confidence: round(routed.confidence), candidates: roundCandidates(routed), routedText, llmConsulted: true };
  const model = deps.chatModel;
  if (typeof model.bindTools !== "function") throw new Error("the chat model does not support tool calling");
  const bound = model.bindTools(ROUTES.map((r) => deps.tools[r]));
  const messages: BaseMessage[] = [
    new SystemMessage(TOOL_CALLING_SYSTEM),
    ...history.slice(-1).flatMap((t) => [new HumanMessage(t.user), new AIMessage(t.assistant)]),
    new HumanMessage(message),
  ];
  run.usePrompt(TOOL_CALLING_PROMPT);
  // Classified here so the route step's fallback reason names what failed (llm_timeout, llm_rate_limited…).
  const reply = await bound.invoke(messages, { signal: run.signal }).catch((error: unknown) => {
    throw modelCallError(error);
  });
  const toolCall = reply.tool_calls?.find((c) => isRouteName(c.name));
  if (toolCall && isRouteName(toolCall.name)) {
    return {
      decision: { ...base, route: toolCall.name, reason: "the model's native tool call", method: "tool_calling", llmChoice: toolCall.name },
      call: { tool: toolCall.name, args: toolCall.args ?? {}, argsFrom: "tool_calling" },
    };
  }
  return { decision: { ...base, route: routed.route, reason: "the model called no tool; semantic router", method: "router" } };
}
