import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { z } from "zod";
import { toAppError } from "@/lib/errors";
import type { Turn } from "@/lib/sessions/session-store";
import { ROUTE_CHOICE_PROMPT, routeChoiceMessages } from "../prompts/route-choice";
import type { RouteDecision } from "../router/semantic-router";
import type { RouteName } from "../routes/registry";
import { AgentRun } from "./agent-run";
import { isFollowUp, withPreviousQuestion } from "./follow-up";
import type { AgentDeps, RoutingDecision } from "./types";

export const DEFAULT_CONFIDENT_AT = 0.9;
export const DEFAULT_LLM_CANDIDATES = 2;
// Measured on routing.jsonl (122 messages) with SmolLM2-135M, confident at 0.9, top-2 choice,
// one example per option (`npm run eval:agent-routing -- --sweep`):
//   router alone 95.9% | w=0.01 95.1% | w=0.03 94.3% | w=0.05 93.4% | w=0.1 91.8% | model decides 83.6%
//   (three examples per option: model decides 85.2%, twice the latency; no weight beats the router).
// The model is consulted on ~30% of messages and overturned the router 17 times: 1 fix, 16 breaks.
// So for the embedded model its vote is recorded (llmChoice, shown in the route step and the
// trace, useful to find disagreements to curate) with weight 0: the router decides. A stronger
// local model can be given weight with `AgentDeps.llmWeight`; OpenAI routes by tool calling.
export const DEFAULT_LLM_WEIGHT = 0;

/**
 * Local and scripted models: the semantic router decides when it is confident (>= 0.9: 98.8%
 * right on routing.jsonl); below that the chat model chooses among the router's top candidates
 * with JSON-schema-constrained output (it can only answer one of those route names). The
 * router's candidates and scores are kept either way.
 */
export async function decideRoute(
  message: string,
  history: Turn[],
  deps: AgentDeps,
  run: AgentRun = new AgentRun(() => undefined),
): Promise<RoutingDecision> {
  let routedText = message;
  let routed = await deps.router.route(message);
  if (isFollowUp(message, history) || (history.length > 0 && routed.route === "ask_followup")) {
    routedText = withPreviousQuestion(message, history);
    routed = await deps.router.route(routedText);
  }
  const base = { confidence: round(routed.confidence), candidates: roundCandidates(routed), routedText };
  const confidentAt = deps.confidentAt ?? DEFAULT_CONFIDENT_AT;
  if (routed.confidence >= confidentAt) {
    return {
      ...base,
      route: routed.route,
      reason: `semantic router, confidence ${routed.confidence.toFixed(2)} >= ${confidentAt}`,
      llmConsulted: false,
      method: "router",
    };
  }
  const options = routed.candidates.slice(0, Math.max(2, deps.llmCandidates ?? DEFAULT_LLM_CANDIDATES)).map((c) => c.route);
  try {
    run.usePrompt(ROUTE_CHOICE_PROMPT);
    const choice = await chooseRouteWithModel(deps.chatModel, routedText, options, run.signal);
    const fused = fuse(base.candidates, choice, deps.llmWeight ?? DEFAULT_LLM_WEIGHT);
    const route = fused[0]!.route;
    return {
      ...base,
      route,
      reason:
        `semantic router unsure (confidence ${routed.confidence.toFixed(2)} < ${confidentAt}); the model chose ${choice} among ${options.join(", ")}` +
        (route === choice ? "" : `, which did not outweigh the router's margin for ${route}`),
      llmConsulted: true,
      llmChoice: choice,
      fused,
      method: "router+llm",
    };
  } catch (error) {
    if (run.signal?.aborted) throw error;
    return {
      ...base,
      route: routed.route,
      reason: `semantic router (the model's choice failed: ${toAppError(error).message})`,
      llmConsulted: true,
      method: "router",
    };
  }
}

/**
 * Router scores plus `weight` on the model's choice, best first. The 135M model alone picks
 * worse than the router (routing.jsonl: router 95.9%, the model's pick among the top 2 when the
 * router is unsure 83.6%), so its vote only tips near ties.
 */
export function fuse(
  candidates: { route: RouteName; score: number }[],
  choice: RouteName,
  weight: number,
): { route: RouteName; score: number }[] {
  return candidates
    .map((c) => ({ route: c.route, score: c.route === choice ? (Number.isFinite(weight) ? round(c.score + weight) : Infinity) : c.score }))
    .sort((a, b) => b.score - a.score);
}

/** One constrained call: the reply can only be `{"route": <one of options>}`. */
export async function chooseRouteWithModel(
  model: BaseChatModel,
  message: string,
  options: RouteName[],
  signal?: AbortSignal,
): Promise<RouteName> {
  const schema = z.object({ route: z.enum(options as [RouteName, ...RouteName[]]) });
  const out = await model.withStructuredOutput(schema, { name: "choose_route" }).invoke(routeChoiceMessages(message, options), { signal });
  return out.route;
}

export function round(x: number): number {
  return Number(x.toFixed(4));
}

export function roundCandidates(decision: RouteDecision): { route: RouteName; score: number }[] {
  return decision.candidates.map((c) => ({ route: c.route, score: round(c.score) }));
}
