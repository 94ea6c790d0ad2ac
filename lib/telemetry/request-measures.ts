import { SemanticConventions as SC } from "@arizeai/openinference-semantic-conventions";

/** What a request's spans say about its latency, tokens and cost. */
export interface RequestMeasures {
  latencyMs: number;
  /** USD; undefined when an LLM call's cost could not be computed (see `requestMeasures`). */
  costUsd?: number;
  promptTokens?: number;
  completionTokens?: number;
}

/** The fields of a span these measures read (a trace-log span or a Phoenix one, normalised). */
export interface MeasuredSpan {
  parentSpanId: string | null;
  spanKind: string | null;
  durationMs: number;
  attributes: Readonly<Record<string, unknown>>;
}

/**
 * One definition of a request's latency and cost, shared by the eval gate and monitoring: the
 * root span's duration, and the sum over the LLM spans of `llm.cost.total` and token counts. A
 * request without LLM calls cost nothing (0); a request with an LLM call whose cost could not be
 * computed (its model is missing from the price table) has no cost, never a free one.
 * Undefined without a root span.
 */
export function requestMeasures(spans: readonly MeasuredSpan[]): RequestMeasures | undefined {
  const root = spans.find((s) => s.parentSpanId === null);
  if (!root) return undefined;
  let cost: number | undefined = 0;
  let prompt: number | undefined;
  let completion: number | undefined;
  const add = (sum: number | undefined, value: unknown) => (typeof value === "number" ? (sum ?? 0) + value : sum);
  for (const span of spans) {
    if (span.spanKind !== "LLM") continue;
    const spanCost = span.attributes[SC.LLM_COST_TOTAL];
    cost = typeof spanCost === "number" && cost !== undefined ? cost + spanCost : undefined;
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
