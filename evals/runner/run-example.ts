import { createHash } from "node:crypto";
import type { AgentStep, ChatResult } from "@/agents/contract";
import { runAgentChat } from "@/agents/graph/run-agent-chat";
import type { AgentDeps } from "@/agents/graph/types";
import { toAppError, type ErrorInfo } from "@/lib/errors";
import { isRecord } from "@/lib/guards";
import type { TracingPipeline } from "@/lib/telemetry/tracing-pipeline";
import type { EvalCase, ToolOutput } from "../evaluators/types";
import type { SelectedExample } from "./select-examples";
import { measuresFromTrace } from "./trace-measures";
import type { ExampleResult } from "./types";
import { historyTurns } from "@/lib/datasets/history-turns";

export interface ReplayedExample {
  evalCase: EvalCase;
  /** Everything but the scores. */
  result: Omit<ExampleResult, "scores">;
}

/**
 * One example through the real agent (the same `runAgentChat` the app serves), traced like
 * production and tagged with the run id. The conversation history of the example is
 * replayed into a fresh session first.
 */
export async function runExample(
  { dataset, example }: SelectedExample,
  deps: AgentDeps,
  options: { runId: string; tracing?: TracingPipeline; signal?: AbortSignal },
): Promise<ReplayedExample> {
  const sessionId = `eval-${createHash("sha256").update(`${options.runId}:${dataset}:${example.id}`).digest("hex").slice(0, 32)}`;
  for (const turn of historyTurns(example.input.history ?? [])) await deps.sessions.append(sessionId, turn);
  const startedAt = new Date().toISOString();
  const started = performance.now();
  let chat: ChatResult | undefined;
  let error: ErrorInfo | undefined;
  try {
    chat = await runAgentChat({ message: example.input.message, sessionId }, deps, {
      signal: options.signal,
      tags: ["eval", `eval-run:${options.runId}`, `example:${example.id}`],
      metadata: { eval_run_id: options.runId, example_id: example.id, dataset },
    });
  } catch (caught) {
    const appError = toAppError(caught);
    if (appError.code === "aborted") throw appError;
    error = appError.toInfo();
  }
  const wallMs = performance.now() - started;
  const steps = chat?.steps ?? [];
  const measures =
    chat && options.tracing ? (await options.tracing.flush(), await measuresFromTrace(options.tracing.traceLog, chat.traceId)) : undefined;
  const retrieved = (chat?.sources ?? []).map((s) => ({ id: s.id, docId: s.docId, title: s.title, text: s.text, score: s.score }));
  const route = routeOf(steps);
  const toolOutputs = toolOutputsOf(steps);
  const runCode = toolOutputs.find((t) => t.tool === "run_code");
  const code = runCode && isRecord(runCode.input) && typeof runCode.input.code === "string" ? runCode.input.code : undefined;

  const evalCase: EvalCase = {
    example,
    answer: chat?.answer ?? "",
    ...(route ? { route } : {}),
    retrieved,
    toolOutputs,
    ...(code !== undefined ? { code } : {}),
    latencyMs: measures?.latencyMs ?? wallMs,
    ...(measures?.costUsd !== undefined ? { costUsd: measures.costUsd } : {}),
    ...(measures?.promptTokens !== undefined ? { promptTokens: measures.promptTokens } : {}),
    ...(measures?.completionTokens !== undefined ? { completionTokens: measures.completionTokens } : {}),
  };
  const result: Omit<ExampleResult, "scores"> = {
    exampleId: example.id,
    dataset,
    ...(example.split ? { split: example.split } : {}),
    tags: example.tags,
    input: example.input.message,
    answer: evalCase.answer,
    expected: example.expected,
    ...(route ? { route } : {}),
    sources: retrieved.map(({ id, docId, title, score }) => ({ id, docId, title, score })),
    ...(chat ? { traceId: chat.traceId } : {}),
    ...(chat?.traceUrl ? { traceUrl: chat.traceUrl } : {}),
    latencyMs: evalCase.latencyMs,
    startedAt,
    ...(evalCase.costUsd !== undefined ? { costUsd: evalCase.costUsd } : {}),
    ...(error ? { error } : {}),
  };
  return { evalCase, result };
}

function routeOf(steps: AgentStep[]): string | undefined {
  const step = steps.find((s) => s.type === "route");
  return step?.type === "route" ? step.route : undefined;
}

/** Tool calls in order: each start paired with the end that follows it. */
function toolOutputsOf(steps: AgentStep[]): ToolOutput[] {
  const out: ToolOutput[] = [];
  for (const step of steps) {
    if (step.type === "tool_start") out.push({ tool: step.tool, input: step.input });
    if (step.type === "tool_end") {
      const open = [...out].reverse().find((t) => t.tool === step.tool && t.output === undefined && t.error === undefined);
      if (!open) continue;
      if (step.error) open.error = step.error;
      else open.output = step.output;
    }
  }
  return out;
}
