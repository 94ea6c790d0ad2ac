import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, type BaseMessage, HumanMessage, SystemMessage } from "@langchain/core/messages";
import { z } from "zod";
import { toAppError } from "@/lib/errors";
import type { Turn } from "@/lib/sessions/session-store";
import { ROUTE_DESCRIPTIONS, ROUTE_EXAMPLES } from "../router/route-examples";
import { isRouteName, ROUTES, type RouteName } from "@/lib/agent-routes";
import type { RouteDecision } from "../router/semantic-router";
import { DEFAULT_FOLLOWUP_QUESTION } from "../tools/ask-followup";
import { extractCodeTask, extractExpression, extractSalesParams, hasSalesFilters, type SalesParams } from "./extract";
import type { AgentDeps, Observation, RoutingDecision, ToolCall } from "./types";

export const DEFAULT_CONFIDENT_AT = 0.9;
export const DEFAULT_LLM_CANDIDATES = 2;
/** See `AgentDeps.llmWeight`; chosen on routing.jsonl with `npm run eval:agent-routing -- --sweep`. */
//
// Measured on routing.jsonl (122 messages) with SmolLM2-135M, confident at 0.9, top-2 choice,
// one example per option (`npm run eval:agent-routing -- --sweep`):
//   router alone 95.9% | w=0.01 95.1% | w=0.03 94.3% | w=0.05 93.4% | w=0.1 91.8% | model decides 83.6%
//   (three examples per option: model decides 85.2%, twice the latency; no weight beats the router).
// The model is consulted on ~30% of messages and overturned the router 17 times: 1 fix, 16 breaks.
// So for the embedded model its vote is recorded (llmChoice, shown in the route step and the
// trace, useful to find disagreements to curate) with weight 0: the router decides. A stronger
// local model can be given weight with `AgentDeps.llmWeight`; OpenAI routes by tool calling.
export const DEFAULT_LLM_WEIGHT = 0;
const SHOTS_PER_ROUTE = 1;
/** Router score gap under which a sales question also searches the knowledge base (the quarterly reports). */
export const KB_SALES_MARGIN = 0.12;

const FOLLOW_UP = /^(?:and|what about|how about|how does (?:that|it|this)|same|compare|vs\.?|versus|and what|what of)\b/i;

/** A message that leans on the previous turn: routed together with the previous question. */
export function isFollowUp(message: string, history: Turn[]): boolean {
  if (history.length === 0) return false;
  const words = message.trim().split(/\s+/).length;
  return FOLLOW_UP.test(message.trim()) || words <= 4 || /\b(?:that|it|those|them|the other one)\b/i.test(message);
}

// ---------------------------------------------------------------------------------------
// Route decision

/**
 * Local and scripted models: the semantic router decides when it is confident (>= 0.9: 98.8%
 * right on routing.jsonl); below that the chat model chooses among the router's top candidates
 * with JSON-schema-constrained output (it can only answer one of those route names). The
 * router's candidates and scores are kept either way.
 */
export async function decideRoute(message: string, history: Turn[], deps: AgentDeps, signal?: AbortSignal): Promise<RoutingDecision> {
  let routedText = message;
  let routed = await deps.router.route(message);
  if (isFollowUp(message, history) || (history.length > 0 && routed.route === "ask_followup")) {
    routedText = `${history.at(-1)?.user ?? ""}\n${message}`;
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
    const choice = await chooseRouteWithModel(deps.chatModel, routedText, options, signal);
    const weight = deps.llmWeight ?? DEFAULT_LLM_WEIGHT;
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
    if (signal?.aborted) throw error;
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

/** One constrained call: the reply can only be `{"route": <one of options>}`. One example per option, from the router's examples. */
export async function chooseRouteWithModel(
  model: BaseChatModel,
  message: string,
  options: RouteName[],
  signal?: AbortSignal,
): Promise<RouteName> {
  const schema = z.object({ route: z.enum(options as [RouteName, ...RouteName[]]) });
  const messages: BaseMessage[] = [
    new SystemMessage(`Pick the tool for the user's message.\n${options.map((o) => `${o}: ${ROUTE_DESCRIPTIONS[o]}`).join("\n")}`),
  ];
  // Examples interleaved (a, b, a, b…) so the last one does not bias the small model.
  for (let i = 0; i < SHOTS_PER_ROUTE; i++) {
    for (const option of options) {
      const example = ROUTE_EXAMPLES[option][i * 5];
      if (example) messages.push(new HumanMessage(example), new AIMessage(JSON.stringify({ route: option })));
    }
  }
  messages.push(new HumanMessage(message));
  const out = await model.withStructuredOutput(schema, { name: "choose_route" }).invoke(messages, { signal });
  return out.route;
}

/**
 * OpenAI (or any OpenAI-compatible server): native tool calling. The model sees the five tools
 * and picks one with its arguments; the semantic router's candidates are still recorded. When
 * the model calls no tool, the router's route and the rule-based arguments are used.
 */
export async function decideWithToolCalling(
  message: string,
  history: Turn[],
  deps: AgentDeps,
  signal?: AbortSignal,
): Promise<{ decision: RoutingDecision; call?: ToolCall }> {
  const routedText = isFollowUp(message, history) ? `${history.at(-1)?.user ?? ""}\n${message}` : message;
  const routed = await deps.router.route(routedText);
  const base = { confidence: round(routed.confidence), candidates: roundCandidates(routed), routedText, llmConsulted: true };
  const model = deps.chatModel;
  if (typeof model.bindTools !== "function") throw new Error("the chat model does not support tool calling");
  const bound = model.bindTools(ROUTES.map((r) => deps.tools[r]));
  const messages: BaseMessage[] = [
    new SystemMessage("You are ACME Corp's assistant. Call exactly one tool to handle the user's message."),
    ...history.slice(-1).flatMap((t) => [new HumanMessage(t.user), new AIMessage(t.assistant)]),
    new HumanMessage(message),
  ];
  const reply = await bound.invoke(messages, { signal });
  const toolCall = (reply as AIMessage).tool_calls?.find((c) => isRouteName(c.name));
  if (toolCall && isRouteName(toolCall.name)) {
    return {
      decision: { ...base, route: toolCall.name, reason: "the model's native tool call", method: "tool_calling", llmChoice: toolCall.name },
      call: { tool: toolCall.name, args: toolCall.args ?? {}, argsFrom: "tool_calling" },
    };
  }
  return { decision: { ...base, route: routed.route, reason: "the model called no tool; semantic router", method: "router" } };
}

// ---------------------------------------------------------------------------------------
// Arguments

const salesParamsSchema = z.object({
  metric: z.enum(["revenue", "units", "orders", "avg_unit_price"]).optional(),
  quarter: z.enum(["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]).optional(),
  region: z.enum(["North America", "EMEA", "APAC", "LATAM"]).optional(),
  groupBy: z
    .array(z.enum(["region", "product", "quarter", "month", "channel", "category"]))
    .max(2)
    .optional(),
  order: z.enum(["desc", "asc"]).optional(),
  limit: z.number().int().min(1).max(50).optional(),
});

/** The plan for a route: one call, or two for a sales question close to the sales reports. */
export async function planCalls(
  decision: RoutingDecision,
  message: string,
  history: Turn[],
  deps: AgentDeps,
  signal?: AbortSignal,
): Promise<ToolCall[]> {
  const main = await argumentsFor(decision.route, message, history, deps, signal);
  const calls = [main];
  if (decision.route === "sales_query") {
    const [first, second] = decision.candidates;
    const closeToKb =
      first?.route === "sales_query" && second?.route === "knowledge_base_search" && first.score - second.score <= KB_SALES_MARGIN;
    // The knowledge base holds a narrative report per quarter: a quarter's total (or a sales
    // question the router finds almost as close to the documents) cites it as well.
    if (closeToKb || isQuarterTotal(main.args)) calls.push(kbCall(message, history));
  }
  return calls;
}

/** A quarter's total revenue and nothing else: the figure the quarterly sales report states. */
export function isQuarterTotal(args: Record<string, unknown>): boolean {
  const filters = ["month", "region", "product", "category", "channel", "groupBy"].some((k) => args[k] !== undefined);
  return typeof args.quarter === "string" && !filters && (args.metric === undefined || args.metric === "revenue");
}

function kbCall(message: string, history: Turn[]): ToolCall {
  const previous = history.at(-1)?.user;
  return {
    tool: "knowledge_base_search",
    args: previous ? { query: message, previousQuestion: previous } : { query: message },
    argsFrom: "rule",
  };
}

export async function argumentsFor(
  route: RouteName,
  message: string,
  history: Turn[],
  deps: AgentDeps,
  signal?: AbortSignal,
): Promise<ToolCall> {
  switch (route) {
    case "knowledge_base_search":
      return kbCall(message, history);
    case "ask_followup":
      return { tool: "ask_followup", args: { question: DEFAULT_FOLLOWUP_QUESTION }, argsFrom: "default" };
    case "calculator": {
      const expression = extractExpression(message);
      if (expression) return { tool: "calculator", args: { expression }, argsFrom: "rule" };
      const out = await structured(deps.chatModel, z.object({ expression: z.string().min(1).max(200) }), CALCULATOR_SHOTS, message, signal);
      return { tool: "calculator", args: out ? cleanExpression(out) : { expression: message }, argsFrom: out ? "model" : "default" };
    }
    case "sales_query": {
      const text = isFollowUp(message, history) ? `${history.at(-1)?.user ?? ""} ${message}` : message;
      // A follow-up's own words win ("and Q2?" replaces the previous quarter).
      const params: SalesParams = { ...extractSalesParams(text), ...extractSalesParams(message) };
      if (hasSalesFilters(params)) return { tool: "sales_query", args: { ...params }, argsFrom: "rule" };
      const out = await structured(deps.chatModel, salesParamsSchema, SALES_SHOTS, message, signal);
      // The rule's values win; the model fills only what the rule did not find.
      return { tool: "sales_query", args: { ...(out ?? {}), ...params }, argsFrom: out ? "rule+model" : "rule" };
    }
    case "run_code": {
      const task = extractCodeTask(message);
      if (task) return { tool: "run_code", args: { ...task }, argsFrom: "rule" };
      const out = await structured(deps.chatModel, codeSchema, CODE_SHOTS, message, signal);
      return { tool: "run_code", args: out ? cleanCode(out) : { code: "", tests: [] }, argsFrom: out ? "model" : "default" };
    }
  }
}

// No maxLength on `code`: a {1,2000} repetition is more than node-llama-cpp's grammar compiler accepts
// ("exceeds sane defaults"); the model's maxTokens bounds it, the sandbox checks the size.
// At least one test: a program with no tests proves nothing to the user.
const codeSchema = z.object({ code: z.string().min(1), tests: z.array(z.string().min(1).max(120)).min(1).max(4) });

/**
 * Inside a JSON grammar the small model often ends the code with the "," or ";" it would
 * put after an array element; strip that one artefact so the program can run at all.
 */
export function cleanCode<T extends { code: string; tests: string[] }>(out: T): T {
  return { ...out, code: out.code.replace(/[\s,]+$/, "") };
}

/** The small model likes to append its own guess ("3 * 24,500 = 72,500"): keep the left side. */
export function cleanExpression(out: { expression: string }): { expression: string } {
  const left = out.expression.split("=")[0]?.trim();
  return { expression: left || out.expression };
}

type Shot = [string, Record<string, unknown>];
const CALCULATOR_SHOTS: Shot[] = [
  ["How much is 15% of 80?", { expression: "15% of 80" }],
  ["Revenue grew from 8515801 to 10724597; by how many percent?", { expression: "(10724597 - 8515801) / 8515801 * 100" }],
];
const SALES_SHOTS: Shot[] = [
  ["Which region had the highest revenue in Q2?", { metric: "revenue", quarter: "2025-Q2", groupBy: ["region"], order: "desc", limit: 1 }],
  ["What were Q3 sales?", { metric: "revenue", quarter: "2025-Q3" }],
];
const CODE_SHOTS: Shot[] = [
  [
    "write a function that returns the square of n and test it",
    { code: "function square(n) { return n * n; }", tests: ["assert.equal(square(3), 9)", "assert.equal(square(0), 0)"] },
  ],
  [
    "write a function that sums an array of numbers, with tests",
    {
      code: "function sum(xs) { let total = 0; for (const x of xs) total += x; return total; }",
      tests: ["assert.equal(sum([1, 2, 3]), 6)", "assert.equal(sum([]), 0)"],
    },
  ],
];

/** A JSON-schema-constrained call with one or two examples; undefined when the model's output is unusable. */
async function structured<T extends Record<string, unknown>>(
  model: BaseChatModel,
  schema: z.ZodType<T>,
  shots: Shot[],
  message: string,
  signal?: AbortSignal,
  extra?: string,
): Promise<T | undefined> {
  const messages: BaseMessage[] = [new SystemMessage("Fill in the tool arguments for the message as JSON.")];
  for (const [q, a] of shots) messages.push(new HumanMessage(q), new AIMessage(JSON.stringify(a)));
  messages.push(new HumanMessage(extra ? `${message}\n${extra}` : message));
  try {
    return (await model.withStructuredOutput(schema, { name: "tool_arguments" }).invoke(messages, { signal })) as T;
  } catch (error) {
    if (signal?.aborted) throw error;
    return undefined;
  }
}

/**
 * After an error the model can fix (invalid arguments, failing code), the model is asked once
 * for new arguments with the error in the prompt. Undefined when it has nothing new to offer.
 */
export async function repairCall(
  failed: Observation,
  message: string,
  deps: AgentDeps,
  signal?: AbortSignal,
): Promise<ToolCall | undefined> {
  const problem = failed.error ? `${failed.error.code}: ${failed.error.message}` : (failed.output ?? "").slice(0, 400);
  const extra = `The previous call ${JSON.stringify(failed.args)} failed (${problem}). Fix the arguments.`;
  switch (failed.tool) {
    case "calculator": {
      const out = await structured(
        deps.chatModel,
        z.object({ expression: z.string().min(1).max(200) }),
        CALCULATOR_SHOTS,
        message,
        signal,
        extra,
      );
      return out ? { tool: "calculator", args: cleanExpression(out), argsFrom: "model" } : undefined;
    }
    case "sales_query": {
      const out = await structured(deps.chatModel, salesParamsSchema, SALES_SHOTS, message, signal, extra);
      return out ? { tool: "sales_query", args: out, argsFrom: "model" } : undefined;
    }
    case "run_code": {
      const out = await structured(deps.chatModel, codeSchema, CODE_SHOTS, message, signal, extra);
      return out ? { tool: "run_code", args: cleanCode(out), argsFrom: "model" } : undefined;
    }
    default:
      return undefined;
  }
}

/** Whether an observation reports a problem a new attempt could fix. */
export function isFixable(observation: Observation): boolean {
  if (observation.error) return observation.error.code === "tool_input_invalid";
  if (observation.tool === "run_code" && observation.output) {
    try {
      const parsed = JSON.parse(observation.output) as { ok?: boolean; error?: { code?: string } };
      return parsed.ok === false && parsed.error?.code !== "tool_timeout";
    } catch {
      return false;
    }
  }
  return false;
}

function round(x: number): number {
  return Number(x.toFixed(4));
}

function roundCandidates(decision: RouteDecision) {
  return decision.candidates.map((c) => ({ route: c.route, score: round(c.score) }));
}
