import { percentile } from "../math/percentile";
import { STEP_KINDS, type RequestFacts } from "./request-facts";

/**
 * One definition per metric, read by the alert rules, the CLIs and (later) /monitor. A metric
 * turns one request's facts into samples: none when it does not apply (no feedback, no
 * retrieval), one per request (latency, cost) or one per step (tool failures). How samples
 * become a window's value depends on the metric's kind:
 * - `count`: how many requests (0 is a value, never missing data);
 * - `proportion`: samples are 0/1, the value is their mean (`rate`);
 * - `distribution`: a statistic of the samples (p50, p95, p99, mean, sum, max).
 * Request latency and cost come from lib/telemetry/request-measures.ts, as in the eval gate.
 */

export type MetricKind = "count" | "proportion" | "distribution";

export const AGGREGATIONS = ["count", "rate", "p50", "p95", "p99", "mean", "sum", "max"] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

export const AGGREGATIONS_BY_KIND: Record<MetricKind, readonly Aggregation[]> = {
  count: ["count"],
  proportion: ["rate"],
  distribution: ["p50", "p95", "p99", "mean", "sum", "max"],
};

export interface MetricDefinition {
  name: string;
  kind: MetricKind;
  unit: string;
  description: string;
  samples(facts: RequestFacts): number[];
}

const one = (value: number | undefined) => (value === undefined ? [] : [value]);
const flag = (value: boolean | undefined) => (value === undefined ? [] : [value ? 1 : 0]);

const FIXED: readonly MetricDefinition[] = [
  { name: "request_count", kind: "count", unit: "requests", description: "Chat requests (root `chat` AGENT spans).", samples: () => [1] },
  {
    name: "error_rate",
    kind: "proportion",
    unit: "ratio",
    description: "Share of requests whose root span, or a step directly under it (the agent run), ended in error.",
    samples: (f) => flag(f.failed),
  },
  {
    name: "tool_failure_rate",
    kind: "proportion",
    unit: "ratio",
    description: "Share of tool calls (TOOL spans) that ended in error.",
    samples: (f) => f.steps.filter((s) => s.kind === "TOOL").map((s) => (s.failed ? 1 : 0)),
  },
  { name: "request_latency_ms", kind: "distribution", unit: "ms", description: "Root span duration.", samples: (f) => [f.latencyMs] },
  {
    name: "prompt_tokens",
    kind: "distribution",
    unit: "tokens",
    description: "Input tokens per request, over its LLM spans.",
    samples: (f) => one(f.promptTokens),
  },
  {
    name: "completion_tokens",
    kind: "distribution",
    unit: "tokens",
    description: "Output tokens per request, over its LLM spans.",
    samples: (f) => one(f.completionTokens),
  },
  {
    name: "cost_usd",
    kind: "distribution",
    unit: "USD",
    description:
      "Cost per request (`mean`) or in total (`sum`): llm.cost.total over its LLM spans; requests with an unpriced model are left out.",
    samples: (f) => one(f.costUsd),
  },
  {
    name: "retrieval_top_score",
    kind: "distribution",
    unit: "cosine",
    description: "Highest retrieved chunk score of requests that searched the knowledge base.",
    samples: (f) => one(f.retrievalTopScore),
  },
  {
    name: "retrieval_relevance",
    kind: "distribution",
    unit: "score",
    description: "Online eval `online.retrieval_relevance` score (sampled requests that searched).",
    samples: (f) => one(f.retrievalRelevance),
  },
  {
    name: "hallucination_rate",
    kind: "proportion",
    unit: "ratio",
    description:
      "Share of answers whose model text had unsupported claims: the online claim check (`online.claims`) on what was shown, or the answer guard replacing the text (`answer.guard.verdict` = repaired), which shows nothing unsupported.",
    // With the guard on, what users see is checked already; the model's hallucinations show up as repairs.
    samples: (f) => (f.answerRepaired ? [1] : flag(f.unsupportedClaims ?? f.answerRepaired)),
  },
  {
    name: "route_confidence",
    kind: "distribution",
    unit: "score",
    description: "The router's confidence (`agent.route.confidence`) in the route it took.",
    samples: (f) => one(f.routeConfidence),
  },
  {
    name: "abstention_rate",
    kind: "proportion",
    unit: "ratio",
    description: "Share of answers that decline to answer.",
    samples: (f) => flag(f.abstained),
  },
  {
    name: "answer_repair_rate",
    kind: "proportion",
    unit: "ratio",
    description:
      "Share of checked knowledge-base answers whose generated text the guard replaced by quoted evidence (`answer.guard.verdict`).",
    samples: (f) => flag(f.answerRepaired),
  },
  {
    name: "thumbs_down_rate",
    kind: "proportion",
    unit: "ratio",
    description: "Share of rated answers whose latest feedback is 👎.",
    samples: (f) => (f.feedback === undefined ? [] : [f.feedback === 0 ? 1 : 0]),
  },
  {
    name: "thumbs_up_rate",
    kind: "proportion",
    unit: "ratio",
    description: "Share of rated answers whose latest feedback is 👍.",
    samples: (f) => (f.feedback === undefined ? [] : [f.feedback === 1 ? 1 : 0]),
  },
];

/** Metrics with a parameter after a dot: a step kind, a tool name, a route. */
const FAMILIES: Record<string, (param: string) => MetricDefinition | undefined> = {
  step_latency_ms: (kind) =>
    STEP_KINDS.some((k) => k === kind)
      ? {
          name: `step_latency_ms.${kind}`,
          kind: "distribution",
          unit: "ms",
          description: `Duration of each ${kind} span.`,
          samples: (f) => f.steps.filter((s) => s.kind === kind).map((s) => s.durationMs),
        }
      : undefined,
  tool_latency_ms: (tool) => ({
    name: `tool_latency_ms.${tool}`,
    kind: "distribution",
    unit: "ms",
    description: `Duration of each call of the ${tool} tool.`,
    samples: (f) => f.steps.filter((s) => s.kind === "TOOL" && s.tool === tool).map((s) => s.durationMs),
  }),
  route_share: (route) => ({
    name: `route_share.${route}`,
    kind: "proportion",
    unit: "ratio",
    description: `Share of requests routed to ${route} (the route mix).`,
    samples: (f) => [f.groups.route === route ? 1 : 0],
  }),
};

/** The definition of `name` (a fixed metric or `family.param`); undefined when there is none. */
export function metricDefinition(name: string): MetricDefinition | undefined {
  const fixed = FIXED.find((m) => m.name === name);
  if (fixed) return fixed;
  const dot = name.indexOf(".");
  if (dot <= 0 || dot === name.length - 1) return undefined;
  return FAMILIES[name.slice(0, dot)]?.(name.slice(dot + 1));
}

/** Every fixed metric and each family as `family.<param>` (for help texts and the README). */
export function metricCatalog(): { name: string; kind: MetricKind; unit: string; description: string }[] {
  const families = [
    {
      name: `step_latency_ms.<${STEP_KINDS.join("|")}>`,
      kind: "distribution" as const,
      unit: "ms",
      description: "Duration of each span of that kind.",
    },
    { name: "tool_latency_ms.<tool>", kind: "distribution" as const, unit: "ms", description: "Duration of each call of that tool." },
    {
      name: "route_share.<route>",
      kind: "proportion" as const,
      unit: "ratio",
      description: "Share of requests routed there (the route mix).",
    },
  ];
  return [...FIXED.map(({ name, kind, unit, description }) => ({ name, kind, unit, description })), ...families];
}

/** A window's value from its samples; undefined for no samples (except a count, where none is 0). */
export function aggregate(aggregation: Aggregation, samples: readonly number[]): number | undefined {
  if (aggregation === "count") return samples.length;
  if (samples.length === 0) return undefined;
  switch (aggregation) {
    case "rate":
    case "mean":
      return samples.reduce((sum, v) => sum + v, 0) / samples.length;
    case "sum":
      return samples.reduce((sum, v) => sum + v, 0);
    case "max":
      return samples.reduce((max, v) => Math.max(max, v), Number.NEGATIVE_INFINITY);
    case "p50":
      return percentile(samples, 50);
    case "p95":
      return percentile(samples, 95);
    case "p99":
      return percentile(samples, 99);
  }
}
