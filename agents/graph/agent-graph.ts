import { Annotation, END, START, StateGraph, type LangGraphRunnableConfig } from "@langchain/langgraph";
import { context } from "@opentelemetry/api";
import { contextOfLangChainRun, spanOfLangChainRun } from "@/lib/telemetry/langchain-run-span";
import { AppError, toAppError } from "@/lib/errors";
import type { Turn } from "@/lib/sessions/session-store";
import type { ScoredChunk } from "@/lib/vectorstore/types";
import type { AgentStep, ChatEvent, Source } from "../contract";
import { toSource } from "../sources";
import type { KnowledgeBaseObservation } from "../tools/knowledge-base-search";
import { argumentsFor, decideRoute, decideWithToolCalling, isFixable, isQuarterTotal, planCalls, repairCall } from "./reason";
import { respond } from "./respond";
import type { AgentDeps, Observation, RoutingDecision, StopReason, ToolCall } from "./types";

export const DEFAULT_MAX_STEPS = 4;
export const DEFAULT_TOOL_TIMEOUT_MS = 15_000;

/** The agent's state as the graph passes it between nodes. */
export const AgentState = Annotation.Root({
  message: Annotation<string>,
  history: Annotation<Turn[]>,
  decision: Annotation<RoutingDecision | undefined>,
  /** Set once the route node has recorded the decision. */
  recorded: Annotation<boolean>,
  /** Tool calls the act node runs next. */
  plan: Annotation<ToolCall[]>,
  observations: Annotation<Observation[]>({ reducer: (a, b) => a.concat(b), default: () => [] }),
  /** Reason steps taken (the step limit counts these). */
  stepCount: Annotation<number>,
  stop: Annotation<StopReason | undefined>,
  kbChunks: Annotation<ScoredChunk[] | undefined>,
  sources: Annotation<Source[]>,
  answer: Annotation<string>,
});
export type AgentStateValue = typeof AgentState.State;

interface RunContext {
  step: (s: AgentStep) => void;
  emit: (event: ChatEvent) => void;
  signal?: AbortSignal;
}

/**
 * reason → route → act → (reason again | respond) → END.
 *
 * - reason: routes the message (semantic router, with the model choosing when the router is
 *   unsure; native tool calling with OpenAI) and plans the tool call(s) with arguments; after a
 *   fixable error it asks the model for corrected arguments. Counts steps; past the limit it stops.
 * - route: records the decision as a `route` step (candidates, scores, confidence, model consulted).
 * - act: runs the planned calls with a timeout; any error becomes an observation; a call
 *   identical to an earlier one is not run again and stops the loop.
 * - respond: writes the answer (see respond.ts) and streams it.
 */
export function buildAgentGraph(deps: AgentDeps, ctx: RunContext) {
  const maxSteps = deps.maxSteps ?? DEFAULT_MAX_STEPS;
  const maxRepairs = deps.maxRepairs ?? 1;
  const timeoutMs = deps.toolTimeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS;

  async function reason(state: AgentStateValue): Promise<Partial<AgentStateValue>> {
    if (state.stepCount >= maxSteps) return { stop: "step_limit", plan: [] };
    const stepCount = state.stepCount + 1;
    if (!state.decision) {
      const { decision, calls } = await decide(state.message, state.history, deps, ctx.signal);
      return { decision, plan: calls, stepCount };
    }
    const failed = state.observations.at(-1);
    const repair = failed ? await repairCall(failed, state.message, deps, ctx.signal) : undefined;
    return { plan: repair ? [repair] : [], stepCount };
  }

  async function route(state: AgentStateValue, config: LangGraphRunnableConfig): Promise<Partial<AgentStateValue>> {
    const d = state.decision;
    if (d && !state.recorded) {
      spanOfLangChainRun(config)?.setAttributes(routeAttributes(d, state.plan));
      ctx.step({
        type: "route",
        route: d.route,
        reason: d.reason,
        candidates: d.candidates,
        confidence: d.confidence,
        llmConsulted: d.llmConsulted,
        ...(d.llmChoice ? { llmChoice: d.llmChoice } : {}),
        method: d.method,
        plan: state.plan.map((c) => ({ tool: c.tool, argsFrom: c.argsFrom })),
      });
    }
    return { recorded: true };
  }

  async function act(state: AgentStateValue): Promise<Partial<AgentStateValue>> {
    const observations: Observation[] = [];
    let stop: StopReason | undefined;
    let kbChunks = state.kbChunks;
    let sources = state.sources;
    const seen = new Set(state.observations.map((o) => callKey(o.tool, o.args)));
    for (const call of state.plan) {
      if (seen.has(callKey(call.tool, call.args))) {
        // The same tool with the same arguments would give the same result: stop here.
        stop = "repeated_call";
        const previous = state.observations.filter((o) => callKey(o.tool, o.args) === callKey(call.tool, call.args)).at(-1);
        if (previous && !observations.includes(previous)) observations.push({ ...previous, ms: 0 });
        break;
      }
      seen.add(callKey(call.tool, call.args));
      ctx.step({ type: "tool_start", tool: call.tool, input: call.args });
      const started = performance.now();
      const observation: Observation = { tool: call.tool, args: call.args, ms: 0 };
      try {
        const tool = deps.tools[call.tool];
        if (!tool) throw new AppError("tool_failed", `unknown tool ${call.tool}`);
        const output: unknown = await withTimeout((signal) => tool.invoke(call.args, { signal }), timeoutMs, call.tool, ctx.signal);
        observation.output = typeof output === "string" ? output : JSON.stringify(output);
      } catch (error) {
        if (ctx.signal?.aborted) throw new AppError("aborted", "The request was aborted", { cause: error });
        const appError = toAppError(error, "tool_failed");
        observation.error = { code: appError.code, message: appError.message };
      }
      observation.ms = Math.round(performance.now() - started);
      if (call.tool === "knowledge_base_search" && observation.output) {
        const chunks = parseChunks(observation.output);
        if (chunks) {
          kbChunks = chunks;
          sources = chunks.map(toSource);
          ctx.emit({ type: "sources", sources });
        } else {
          observation.error = { code: "tool_failed", message: "the knowledge base returned an unreadable result" };
        }
      }
      ctx.step({
        type: "tool_end",
        tool: call.tool,
        output: summarise(observation, kbChunks),
        ms: observation.ms,
        ...(observation.error ? { error: observation.error } : {}),
      });
      observations.push(observation);
    }
    return { observations, plan: [], stop, kbChunks, sources };
  }

  function afterAct(state: AgentStateValue): "reason" | "respond" | "limit" {
    if (state.stop) return "respond";
    const last = state.observations.at(-1);
    if (!last || !isFixable(last) || state.stepCount >= maxSteps) {
      // Out of steps with a fixable error still open: say so.
      if (last && isFixable(last) && state.stepCount >= maxSteps) return "limit";
      return "respond";
    }
    const attempts = state.observations.filter((o) => o.tool === last.tool).length;
    return attempts <= maxRepairs ? "reason" : "respond";
  }

  async function limit(): Promise<Partial<AgentStateValue>> {
    return { stop: "step_limit" };
  }

  async function respondNode(state: AgentStateValue, config: LangGraphRunnableConfig): Promise<Partial<AgentStateValue>> {
    if (!state.kbChunks) ctx.emit({ type: "sources", sources: [] });
    // prompt_assembly and postprocess spans nest under this node's span.
    const answer = await context.with(contextOfLangChainRun(config), () =>
      respond(
        {
          message: state.message,
          history: state.history,
          observations: state.observations,
          stop: state.stop,
          kbChunks: state.kbChunks,
          answerFromKb: answerFromKb(state),
        },
        deps,
        { emit: (text) => ctx.emit({ type: "token", text }), signal: ctx.signal },
      ),
    );
    return { answer };
  }

  return new StateGraph(AgentState)
    .addNode("reason", reason)
    .addNode("route", route)
    .addNode("act", act)
    .addNode("limit", limit)
    .addNode("respond", respondNode)
    .addEdge(START, "reason")
    .addEdge("reason", "route")
    .addConditionalEdges("route", (s: AgentStateValue) => (s.plan.length > 0 ? "act" : "respond"), ["act", "respond"])
    .addConditionalEdges("act", afterAct as (s: AgentStateValue) => string, ["reason", "respond", "limit"])
    .addEdge("limit", "respond")
    .addEdge("respond", END)
    .compile();
}

async function decide(
  message: string,
  history: Turn[],
  deps: AgentDeps,
  signal?: AbortSignal,
): Promise<{ decision: RoutingDecision; calls: ToolCall[] }> {
  let decision: RoutingDecision;
  try {
    if (deps.provider === "openai") {
      const native = await decideWithToolCalling(message, history, deps, signal);
      decision = native.decision;
      if (native.call) {
        const calls = [native.call];
        if (native.call.tool === "sales_query") {
          const extra = (await planCalls(decision, message, history, deps, signal)).slice(1);
          calls.push(...extra);
        }
        return { decision, calls };
      }
    } else {
      decision = await decideRoute(message, history, deps, signal);
    }
  } catch (error) {
    if (signal?.aborted) throw new AppError("aborted", "The request was aborted", { cause: error });
    // The router (or the model's tool call) failed: fall back to a knowledge base search.
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
    return { decision, calls: [await argumentsFor("knowledge_base_search", message, history, deps, signal)] };
  }
  return { decision, calls: await planCalls(decision, message, history, deps, signal) };
}

/**
 * The answer comes from the knowledge base when that was the route, or when the sales query
 * beside it was a plain quarter total (the quarterly report states the same figure and the
 * grounded answer cites it); otherwise from the main tool, with the chunks as extra citations.
 */
function answerFromKb(state: AgentStateValue): boolean {
  if (state.decision?.route === "knowledge_base_search") return true;
  const sales = state.observations.find((o) => o.tool === "sales_query");
  return state.decision?.route === "sales_query" && (!sales || !!sales.error || isQuarterTotal(sales.args));
}

/** Same tool, same arguments (key order ignored). */
export function callKey(tool: string, args: Record<string, unknown>): string {
  return `${tool}:${stableStringify(args)}`;
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * Runs a tool call with its own abort signal, aborted after `ms` (or with the request): the
 * tool run then fails inside LangChain, so its TOOL span ends in ERROR like any other failure.
 */
function withTimeout<T>(run: (signal: AbortSignal) => Promise<T>, ms: number, tool: string, outer?: AbortSignal): Promise<T> {
  const controller = new AbortController();
  const timeoutError = new AppError("tool_timeout", `${tool} did not answer within ${ms} ms`);
  const onOuterAbort = () => controller.abort(outer?.reason);
  outer?.addEventListener("abort", onOuterAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort(timeoutError);
      reject(timeoutError);
    }, ms);
  });
  return Promise.race([run(controller.signal), timeout]).finally(() => {
    clearTimeout(timer);
    outer?.removeEventListener("abort", onOuterAbort);
  });
}

/** What the `route` node's span records about the decision (the routing eval reads the steps). */
function routeAttributes(d: RoutingDecision, plan: ToolCall[]): Record<string, string | number | boolean> {
  return {
    "agent.route.chosen": d.route,
    "agent.route.method": d.method,
    "agent.route.confidence": d.confidence,
    "agent.route.llm_consulted": d.llmConsulted,
    ...(d.llmChoice ? { "agent.route.llm_choice": d.llmChoice } : {}),
    "agent.route.candidates": JSON.stringify(d.candidates),
    ...(d.fused ? { "agent.route.fused": JSON.stringify(d.fused) } : {}),
    "agent.route.reason": d.reason,
    "agent.route.plan": JSON.stringify(plan.map((c) => ({ tool: c.tool, args: c.args, argsFrom: c.argsFrom }))),
  };
}

function parseChunks(output: string): ScoredChunk[] | undefined {
  try {
    const parsed = JSON.parse(output) as Partial<KnowledgeBaseObservation>;
    return Array.isArray(parsed.chunks) ? parsed.chunks : undefined;
  } catch {
    return undefined;
  }
}

/** What a tool_end step shows: chunk ids with scores for the KB (as the RAG pipeline did), else the observation (sales: rows and SQL). */
function summarise(observation: Observation, chunks: ScoredChunk[] | undefined): string {
  if (observation.error) return "";
  if (observation.tool === "knowledge_base_search") {
    return chunks?.map((c) => `${c.id} (${c.score.toFixed(3)})`).join(", ") || "no matching chunks";
  }
  return observation.output ?? "";
}
