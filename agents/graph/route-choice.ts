import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { z } from "zod";
import { toAppError } from "@/lib/errors";
import type { Turn } from "@/lib/sessions/session-store";
import { ROUTE_CHOICE_PROMPT, routeChoiceMessages } from "../prompts/route-choice";
import type { OutOfScope, RouteDecision } from "../router/semantic-router";
import type { RouteName } from "../routes/registry";
import { AgentRun } from "./agent-run";
import { isFollowUp, withPreviousQuestion } from "./follow-up";
import { rewriteQuery } from "../query-rewrite";
import type { AgentDeps, RoutingDecision } from "./types";

export const DEFAULT_CONFIDENT_AT = 0.9;
export const DEFAULT_LLM_CANDIDATES = 2;
// Measured on routing.jsonl (122 messages) with SmolLM2-135M, confident at 0.9, top-2 choice,
// one example per option (`npm run eval:agent-routing -- --sweep`):
//   router alone 95.9% | w=0.01 95.1% | w=0.03 94.3% | w=0.05 93.4% | w=0.1 91.8% | model decides 83.6%
//   (three examples per option: model decides 85.2%, twice the latency; no weight beats the router).
// The model is consulted on ~30% of messages and overturned the router 17 times: 1 fix, 16 breaks.
// So for the embedded model its vote has weight 0: the router decides. A vote without weight is
// not asked for, since it cost the largest share of an unsure turn's CPU under load (issue 17);
// `AgentDeps.recordModelVote` (ROUTER_MODEL_VOTE=on) asks anyway and records it (llmChoice, in
// the route step and the trace) to find disagreements to curate. A stronger local model can be
// given weight with `AgentDeps.llmWeight`; OpenAI routes by tool calling.
export const DEFAULT_LLM_WEIGHT = 0;

/**
 * Local and scripted models: the semantic router decides when it is confident (>= 0.9: 98.8%
 * right on routing.jsonl); below that, when the model's vote has weight (or is to be recorded),
 * the chat model chooses among the router's top candidates with JSON-schema-constrained output
 * (it can only answer one of those route names). The router's candidates and scores are kept
 * either way.
 *
 * The router sees the turn's query: the message, or a follow-up rewritten into a standalone
 * question (./query-rewrite.ts). A follow-up the rules could not rewrite is routed together with
 * the previous question. Small talk and off-topic messages are decided before that: no route.
 */
export async function decideRoute(
  message: string,
  history: Turn[],
  deps: AgentDeps,
  run: AgentRun = new AgentRun(() => undefined),
  query: string = rewriteQuery(message, history).query,
): Promise<RoutingDecision> {
  const first = await routeTurn(message, history, deps, query);
  if ("decision" in first) return first.decision;
  const { routed, routedText } = first;
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
  const weight = deps.llmWeight ?? DEFAULT_LLM_WEIGHT;
  if (weight === 0 && !deps.recordModelVote) {
    return {
      ...base,
      route: routed.route,
      reason: `semantic router, confidence ${routed.confidence.toFixed(2)} < ${confidentAt}: its top route (the model's vote carries no weight and is not asked for; ROUTER_MODEL_VOTE=on records it)`,
      llmConsulted: false,
      method: "router",
    };
  }
  const options = routed.candidates.slice(0, Math.max(2, deps.llmCandidates ?? DEFAULT_LLM_CANDIDATES)).map((c) => c.route);
  try {
    run.usePrompt(ROUTE_CHOICE_PROMPT);
    const choice = await chooseRouteWithModel(deps.chatModel, routedText, options, run.signal);
    const fused = fuse(base.candidates, choice, weight);
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
 * The router's decision on the turn's query, or the decision that the message is out of scope.
 * A follow-up that was not rewritten is routed again with the previous question.
 */
export async function routeTurn(
  message: string,
  history: Turn[],
  deps: AgentDeps,
  query: string,
): Promise<{ decision: RoutingDecision } | { routed: RouteDecision; routedText: string }> {
  const routed = await deps.router.route(query);
  if (routed.outOfScope) return { decision: outOfScopeDecision(routed, query, routed.outOfScope) };
  if (query === message && (isFollowUp(message, history) || (history.length > 0 && routed.route === "ask_followup"))) {
    const routedText = withPreviousQuestion(message, history);
    return { routed: await deps.router.route(routedText), routedText };
  }
  return { routed, routedText: query };
}

/**
 * Small talk or a question outside ACME: no tool runs, the reply is assembled in code
 * (./scoped-reply.ts). The router's nearest route stays the decision's route, so datasets that
 * label such messages by route keep measuring the router.
 */
export function outOfScopeDecision(routed: RouteDecision, routedText: string, outOfScope: OutOfScope): RoutingDecision {
  const what = outOfScope.kind === "small_talk" ? "small talk" : "outside ACME's topics";
  return {
    route: routed.route,
    reason: `${what} (nearer those examples than any route's by ${outOfScope.margin.toFixed(2)}): a scoped reply, no tool`,
    confidence: round(routed.confidence),
    candidates: roundCandidates(routed),
    llmConsulted: false,
    method: "router",
    routedText,
    outOfScope: { ...outOfScope, score: round(outOfScope.score), margin: round(outOfScope.margin) },
  };
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
