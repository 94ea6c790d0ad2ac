import { SemanticConventions as SC } from "@arizeai/openinference-semantic-conventions";
import type { TraceLog } from "@/lib/telemetry/trace-log/trace-log";

export interface TraceMeasures {
  latencyMs: number;
  costUsd?: number;
  promptTokens?: number;
  completionTokens?: number;
}

/**
 * Latency and cost of one example, read from its trace: the root span's duration, and the
 * sum over its LLM spans of `llm.cost.total` and token counts. Undefined when the trace is
 * not in the log (tracing off).
 */
export function measuresFromTrace(log: TraceLog, traceId: string): TraceMeasures | undefined {
  const spans = log.trace(traceId);
  const root = spans.find((s) => s.parentSpanId === null);
  if (!root) return undefined;
  let cost: number | undefined;
  let prompt: number | undefined;
  let completion: number | undefined;
  const add = (sum: number | undefined, value: unknown) => (typeof value === "number" ? (sum ?? 0) + value : sum);
  for (const span of spans) {
    if (span.spanKind !== "LLM") continue;
    cost = add(cost, span.attributes[SC.LLM_COST_TOTAL]);
    prompt = add(prompt, span.attributes[SC.LLM_TOKEN_COUNT_PROMPT]);
    completion = add(completion, span.attributes[SC.LLM_TOKEN_COUNT_COMPLETION]);
  }
  return {
    latencyMs: root.durationMs,
    ...(cost !== undefined ? { costUsd: cost } : {}),
    ...(prompt !== undefined ? { promptTokens: prompt } : {}),
    ...(completion !== undefined ? { completionTokens: completion } : {}),
  };
}
