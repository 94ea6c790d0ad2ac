import type { Span } from "@opentelemetry/api";
import { AppAttributes } from "@/lib/telemetry/attributes";
import type { AgentRun } from "../agent-run";
import type { AgentStateValue } from "../state";
import type { RoutingDecision, ToolCall } from "../types";

/** route: records the decision once, as a `route` step and on the node's span (the routing eval reads the steps). */
export function routeNode(state: AgentStateValue, run: AgentRun, span: Span | undefined): Partial<AgentStateValue> {
  const d = state.decision;
  if (d && !state.recorded) {
    span?.setAttributes(routeAttributes(d, state.plan));
    run.step({
      type: "route",
      route: d.route,
      reason: d.reason,
      candidates: d.candidates,
      confidence: d.confidence,
      llmConsulted: d.llmConsulted,
      ...(d.llmChoice ? { llmChoice: d.llmChoice } : {}),
      method: d.method,
      plan: state.plan.map((c) => ({ tool: c.tool, argsFrom: c.argsFrom })),
      ...(d.outOfScope ? { scope: d.outOfScope.kind } : {}),
    });
  }
  return { recorded: true };
}

function routeAttributes(d: RoutingDecision, plan: ToolCall[]): Record<string, string | number | boolean> {
  return {
    [AppAttributes.ROUTE_CHOSEN]: d.route,
    [AppAttributes.ROUTE_METHOD]: d.method,
    [AppAttributes.ROUTE_CONFIDENCE]: d.confidence,
    [AppAttributes.ROUTE_LLM_CONSULTED]: d.llmConsulted,
    ...(d.llmChoice ? { [AppAttributes.ROUTE_LLM_CHOICE]: d.llmChoice } : {}),
    [AppAttributes.ROUTE_CANDIDATES]: JSON.stringify(d.candidates),
    ...(d.fused ? { [AppAttributes.ROUTE_FUSED]: JSON.stringify(d.fused) } : {}),
    [AppAttributes.ROUTE_REASON]: d.reason,
    [AppAttributes.ROUTE_PLAN]: JSON.stringify(plan.map((c) => ({ tool: c.tool, args: c.args, argsFrom: c.argsFrom }))),
    ...(d.outOfScope ? { [AppAttributes.ROUTE_SCOPE]: d.outOfScope.kind, [AppAttributes.ROUTE_SCOPE_MARGIN]: d.outOfScope.margin } : {}),
  };
}
