import { SemanticConventions as SC } from "@arizeai/openinference-semantic-conventions";
import { CHAT_SPAN_NAME } from "@/agents/graph/run-agent-chat";
import { isRouteName, type RouteName } from "@/agents/routes/registry";
import type { ReviewCandidate } from "@/lib/curation/review-queue";
import { AppAttributes, OnlineAnnotations } from "@/lib/telemetry/attributes";
import { truncate } from "@/lib/text/truncate";
import { objectAttribute, USER_FEEDBACK_JUDGEMENT, type LoggedSpan, type TraceJudgement } from "@/lib/telemetry/trace-log/trace-reader";

/**
 * What curation knows about one agent trace, read from its spans and judgements alone, so the
 * trace log and Phoenix give the same summary (see lib/telemetry/phoenix-trace-reader.ts for
 * what the two stores keep differently, and how that is evened out here).
 */
export interface TraceSummary {
  traceId: string;
  rootSpanId: string;
  sessionId?: string;
  tracedAtMs: number;
  tags: string[];
  question: string;
  answer: string;
  route: RouteName | null;
  routeConfidence: number | null;
  routeMethod: string | null;
  toolCalls: ReviewCandidate["toolCalls"];
  retrieved: ReviewCandidate["retrieved"];
  /** The latest thumbs up/down: a second click replaces the first, as in Phoenix. */
  feedback: ReviewCandidate["feedback"];
  /** The latest online score (`OnlineAnnotations`) of each name. */
  onlineScores: ReviewCandidate["onlineScores"];
  latencyMs: number;
  /** Sum of `llm.cost.total` over LLM spans; null when no LLM span is priced. */
  costUsd: number | null;
  /** Sum of `llm.token_count.total` over LLM spans; null when no LLM span counted tokens. */
  tokens: number | null;
  /** Spans that ended in ERROR, other than tool calls (those are in `toolCalls`). */
  errors: { span: string; message: string }[];
}

/** Tool outputs are kept whole in the trace; the queue keeps enough to judge them. */
export const TOOL_OUTPUT_MAX_CHARS = 2_000;
const ONLINE_ANNOTATIONS: ReadonlySet<string> = new Set(Object.values(OnlineAnnotations));

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** The `chat` root of a trace, or undefined when the trace is not an agent turn. */
export function agentRoot(spans: readonly LoggedSpan[]): LoggedSpan | undefined {
  return spans.find((s) => s.parentSpanId === null && s.name === CHAT_SPAN_NAME);
}

export function tagsOf(span: LoggedSpan): string[] {
  const tags = span.attributes[SC.TAG_TAGS];
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === "string") : [];
}

function toolCalls(spans: readonly LoggedSpan[]): TraceSummary["toolCalls"] {
  return spans
    .filter((s) => s.spanKind === "TOOL")
    .map((s) => {
      const failed = s.statusCode === "ERROR";
      const output = str(s.attributes[SC.OUTPUT_VALUE]) ?? (failed ? (s.statusMessage ?? "") : "");
      return {
        name: s.name,
        input: str(s.attributes[SC.INPUT_VALUE]) ?? "",
        output: truncate(output, TOOL_OUTPUT_MAX_CHARS),
        status: failed ? "error" : "ok",
      };
    });
}

/** Every retrieved chunk (a follow-up searches twice), once, best score first. */
function retrieved(spans: readonly LoggedSpan[]): TraceSummary["retrieved"] {
  const byId = new Map<string, TraceSummary["retrieved"][number]>();
  for (const span of spans.filter((s) => s.spanKind === "RETRIEVER")) {
    for (let i = 0; ; i++) {
      const prefix = `${SC.RETRIEVAL_DOCUMENTS}.${i}`;
      const id = str(span.attributes[`${prefix}.${SC.DOCUMENT_ID}`]);
      if (id === undefined) break;
      const metadata = objectAttribute(span.attributes, `${prefix}.${SC.DOCUMENT_METADATA}`) ?? {};
      const title = str(metadata.title);
      const chunk = {
        id,
        docId: str(metadata.docId) ?? id.split("#")[0]!,
        ...(title !== undefined ? { title } : {}),
        score: num(span.attributes[`${prefix}.${SC.DOCUMENT_SCORE}`]) ?? null,
        content: str(span.attributes[`${prefix}.${SC.DOCUMENT_CONTENT}`]) ?? "",
      };
      const seen = byId.get(id);
      if (!seen || (chunk.score ?? -Infinity) > (seen.score ?? -Infinity)) byId.set(id, chunk);
    }
  }
  return [...byId.values()].sort((a, b) => (b.score ?? -Infinity) - (a.score ?? -Infinity));
}

function llmSum(spans: readonly LoggedSpan[], read: (s: LoggedSpan) => number | undefined): number | null {
  const values = spans
    .filter((s) => s.spanKind === "LLM")
    .flatMap((s) => {
      const v = read(s);
      return v === undefined ? [] : [v];
    });
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0);
}

function tokensOf(span: LoggedSpan): number | undefined {
  const total = num(span.attributes[SC.LLM_TOKEN_COUNT_TOTAL]);
  if (total !== undefined) return total;
  const prompt = num(span.attributes[SC.LLM_TOKEN_COUNT_PROMPT]);
  const completion = num(span.attributes[SC.LLM_TOKEN_COUNT_COMPLETION]);
  return prompt === undefined && completion === undefined ? undefined : (prompt ?? 0) + (completion ?? 0);
}

/** The latest judgement of each name (judgements come oldest first). */
function latestByName(judgements: readonly TraceJudgement[]): Map<string, TraceJudgement> {
  const latest = new Map<string, TraceJudgement>();
  for (const j of judgements) latest.set(j.name, j);
  return latest;
}

/** Summarises an agent trace; undefined when it has no `chat` root (not an agent turn). */
export function summarizeTrace(spans: readonly LoggedSpan[], judgements: readonly TraceJudgement[]): TraceSummary | undefined {
  const root = agentRoot(spans);
  if (!root) return undefined;
  const routeSpan = spans.find((s) => s.attributes[AppAttributes.ROUTE_CHOSEN] !== undefined);
  const chosen = str(routeSpan?.attributes[AppAttributes.ROUTE_CHOSEN]) ?? str(root.attributes[AppAttributes.AGENT_ROUTE]);
  const latest = latestByName(judgements);
  const feedback = latest.get(USER_FEEDBACK_JUDGEMENT);
  const onlineScores: TraceSummary["onlineScores"] = {};
  for (const [name, j] of [...latest].sort(([a], [b]) => a.localeCompare(b))) {
    if (!ONLINE_ANNOTATIONS.has(name)) continue;
    onlineScores[name] = { score: j.score, label: j.label, ...(j.explanation ? { explanation: j.explanation } : {}) };
  }
  const sessionId = root.sessionId ?? spans.find((s) => s.sessionId)?.sessionId;
  return {
    traceId: root.traceId,
    rootSpanId: root.spanId,
    ...(sessionId !== undefined ? { sessionId } : {}),
    tracedAtMs: root.startTimeMs,
    tags: tagsOf(root),
    question: str(root.attributes[SC.INPUT_VALUE]) ?? "",
    answer: str(root.attributes[SC.OUTPUT_VALUE]) ?? "",
    route: chosen !== undefined && isRouteName(chosen) ? chosen : null,
    routeConfidence: num(routeSpan?.attributes[AppAttributes.ROUTE_CONFIDENCE]) ?? null,
    routeMethod: str(routeSpan?.attributes[AppAttributes.ROUTE_METHOD]) ?? null,
    toolCalls: toolCalls(spans),
    retrieved: retrieved(spans),
    feedback:
      feedback && feedback.score !== null
        ? [{ score: feedback.score, ...(feedback.explanation ? { comment: feedback.explanation } : {}) }]
        : [],
    onlineScores,
    // Whole milliseconds: the two stores keep sub-millisecond times differently.
    latencyMs: Math.round(root.endTimeMs - root.startTimeMs),
    costUsd: llmSum(spans, (s) => num(s.attributes[SC.LLM_COST_TOTAL])),
    tokens: llmSum(spans, tokensOf),
    errors: spans
      .filter((s) => s.statusCode === "ERROR" && s.spanKind !== "TOOL")
      .map((s) => ({ span: s.name, message: s.statusMessage ?? "failed" })),
  };
}
