import { REDACTED_VALUE } from "@arizeai/openinference-core";
import { SemanticConventions as SC } from "@arizeai/openinference-semantic-conventions";
import { isAbstention } from "../quality/text";
import { AppAttributes, OnlineAnnotations } from "../telemetry/attributes";
import { requestMeasures } from "../telemetry/request-measures";
import { objectAttribute, USER_FEEDBACK_JUDGEMENT, type LoggedSpan, type TraceJudgement } from "../telemetry/trace-log/trace-reader";

/**
 * What one request (one trace rooted in the `chat` AGENT span) says, read once from its spans
 * and judgements so every metric (metrics.ts) reads the same facts. A field is undefined when
 * the trace does not carry it (no retrieval, not sampled by the online eval, no feedback).
 */

/** The dimensions a metric can be grouped and filtered by. */
export const GROUP_DIMENSIONS = ["route", "model", "app_version", "prompt_version", "segment", "source"] as const;
export type GroupDimension = (typeof GROUP_DIMENSIONS)[number];

/** The step kinds whose latency is measured per step. */
export const STEP_KINDS = ["LLM", "RETRIEVER", "EMBEDDING", "TOOL"] as const;

export interface StepFact {
  kind: (typeof STEP_KINDS)[number];
  /** The tool's name, for TOOL steps. */
  tool?: string;
  durationMs: number;
  failed: boolean;
}

export interface RequestFacts {
  traceId: string;
  startMs: number;
  groups: Record<GroupDimension, string>;
  /** The root span ended in error, or a step directly under it did (the agent run failed). */
  failed: boolean;
  latencyMs: number;
  steps: StepFact[];
  promptTokens?: number;
  completionTokens?: number;
  costUsd?: number;
  /** Highest `retrieval.documents.N.document.score` over the retriever spans. */
  retrievalTopScore?: number;
  /** Online eval: retrieval relevance score (online.retrieval_relevance). */
  retrievalRelevance?: number;
  /** Online eval: the claim check found a number, date or name in no source (online.claims). */
  unsupportedClaims?: boolean;
  routeConfidence?: number;
  abstained?: boolean;
  /** Whether the answer guard replaced the generated text (`answer.guard.verdict` = repaired); absent when no guard ran. */
  answerRepaired?: boolean;
  /** The latest 👍 (1) or 👎 (0) on the answer. */
  feedback?: number;
}

const UNKNOWN = "unknown";
const DOCUMENT_SCORE = /^retrieval\.documents\.\d+\.document\.score$/;

const str = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
const num = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : undefined);

function groupsOf(root: LoggedSpan, spans: readonly LoggedSpan[]): Record<GroupDimension, string> {
  const metadata = objectAttribute(root.attributes, SC.METADATA) ?? {};
  const firstModel = spans.find((s) => s.spanKind === "LLM" && str(s.attributes[SC.LLM_MODEL_NAME]));
  return {
    route: str(root.attributes[AppAttributes.AGENT_ROUTE]) ?? "none",
    model: str(metadata.model) ?? str(firstModel?.attributes[SC.LLM_MODEL_NAME]) ?? UNKNOWN,
    app_version: str(metadata.app_version) ?? UNKNOWN,
    prompt_version: str(root.attributes[SC.PROMPT_TEMPLATE_VERSION]) ?? str(metadata.prompt_version) ?? UNKNOWN,
    // An explicit segment from the caller's metadata; else whether the app knew who asked.
    segment: str(metadata.user_segment) ?? (str(root.attributes[SC.USER_ID]) ? "identified" : "anonymous"),
    // Eval runs trace through the same agent; their traces say so in their metadata.
    source: str(metadata.eval_run_id) ? "eval" : "production",
  };
}

function stepsOf(spans: readonly LoggedSpan[]): StepFact[] {
  const steps: StepFact[] = [];
  for (const span of spans) {
    const kind = STEP_KINDS.find((k) => k === span.spanKind);
    if (!kind) continue;
    const tool = kind === "TOOL" ? (str(span.attributes[SC.TOOL_NAME]) ?? span.name) : undefined;
    steps.push({ kind, ...(tool ? { tool } : {}), durationMs: span.endTimeMs - span.startTimeMs, failed: span.statusCode === "ERROR" });
  }
  return steps;
}

function retrievalTopScore(spans: readonly LoggedSpan[]): number | undefined {
  let top: number | undefined;
  for (const span of spans) {
    if (span.spanKind !== "RETRIEVER") continue;
    for (const [key, value] of Object.entries(span.attributes)) {
      const score = num(value);
      if (score !== undefined && DOCUMENT_SCORE.test(key)) top = Math.max(top ?? score, score);
    }
  }
  return top;
}

/** The latest judgement of each name (readers return them oldest first). */
function latestJudgements(judgements: readonly TraceJudgement[]): Map<string, TraceJudgement> {
  const latest = new Map<string, TraceJudgement>();
  for (const j of [...judgements].sort((a, b) => a.updatedAtMs - b.updatedAtMs)) latest.set(j.name, j);
  return latest;
}

/** The facts of one request; undefined when the trace is not a chat request (an eval's evaluator trace, a stray span). */
export function requestFacts(spans: readonly LoggedSpan[], judgements: readonly TraceJudgement[]): RequestFacts | undefined {
  const root = spans.find((s) => s.parentSpanId === null);
  if (!root || root.spanKind !== "AGENT") return undefined;
  const measures = requestMeasures(spans.map((s) => ({ ...s, durationMs: s.endTimeMs - s.startTimeMs })));
  if (!measures) return undefined;
  const judged = latestJudgements(judgements);
  const claims = judged.get(OnlineAnnotations.CLAIMS);
  const output = str(root.attributes[SC.OUTPUT_VALUE]);
  const confidence = spans.map((s) => num(s.attributes[AppAttributes.ROUTE_CONFIDENCE])).find((c) => c !== undefined);
  const feedback = num(judged.get(USER_FEEDBACK_JUDGEMENT)?.score ?? undefined);
  const relevance = num(judged.get(OnlineAnnotations.RETRIEVAL_RELEVANCE)?.score ?? undefined);
  const topScore = retrievalTopScore(spans);
  const verdict = spans.map((s) => str(s.attributes[AppAttributes.ANSWER_GUARD_VERDICT])).find((v) => v !== undefined);
  return {
    traceId: root.traceId,
    startMs: root.startTimeMs,
    groups: groupsOf(root, spans),
    failed: root.statusCode === "ERROR" || spans.some((s) => s.parentSpanId === root.spanId && s.statusCode === "ERROR"),
    latencyMs: measures.latencyMs,
    steps: stepsOf(spans),
    ...(measures.promptTokens !== undefined && { promptTokens: measures.promptTokens }),
    ...(measures.completionTokens !== undefined && { completionTokens: measures.completionTokens }),
    ...(measures.costUsd !== undefined && { costUsd: measures.costUsd }),
    ...(topScore !== undefined && { retrievalTopScore: topScore }),
    ...(relevance !== undefined && { retrievalRelevance: relevance }),
    ...(claims && claims.label !== null && { unsupportedClaims: claims.label === "unsupported_claims" }),
    ...(confidence !== undefined && { routeConfidence: confidence }),
    // A hidden output (OPENINFERENCE_HIDE_OUTPUTS) says nothing about abstention.
    ...(output !== undefined && output !== REDACTED_VALUE && { abstained: isAbstention(output) }),
    ...(feedback !== undefined && { feedback }),
    ...(verdict !== undefined && { answerRepaired: verdict === "repaired" }),
  };
}
