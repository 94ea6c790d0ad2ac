import { createHash } from "node:crypto";
import { getConfig } from "@/lib/config";
import { claimScore } from "@/lib/quality/claim-score";
import { groundingSources } from "@/lib/quality/grounding-sources";
import { isAbstention } from "@/lib/quality/text";
import { RETRIEVAL_TOP_SCORE_LOW, ROUTE_CONFIDENCE_LOW } from "@/lib/quality/thresholds";
import { OnlineAnnotations } from "@/lib/telemetry/attributes";
import { annotateWhenIngested } from "@/lib/telemetry/annotate-when-ingested";
import type { PhoenixClient } from "@/lib/telemetry/phoenix-client";
import type { SpanAnnotationInput } from "@/lib/telemetry/phoenix-rest-schemas";
import type { TraceStore } from "@/lib/telemetry/trace-log/trace-store";
import { activeTracing } from "@/lib/telemetry/tracing-registry";
import type { ChatResult } from "./contract";

/**
 * Online evaluation: a sampled share (ONLINE_EVAL_SAMPLE) of production answers is scored after
 * the response has gone out, with the evaluators that need no label and no model — the claim
 * check (numbers, dates and names of the answer found in no source), retrieval relevance from
 * the retrieved chunks' similarity scores, and the router's confidence. Scores land on the
 * trace as CODE annotations (`online.*`) in the trace log and, when export is on, in Phoenix,
 * where curation (`npm run curate`) reads them to propose traces for review.
 *
 * The eval runner calls the agent directly and never comes here: its traces get the full
 * evaluator set instead.
 */

/** Phoenix upsert key: re-scoring a trace replaces its online scores. */
export const ONLINE_EVAL_IDENTIFIER = "online-eval";

export interface OnlineScore {
  name: (typeof OnlineAnnotations)[keyof typeof OnlineAnnotations];
  score: number;
  label: string;
  explanation: string;
}

/** One answered turn: the user's message and what the agent returned. */
export interface ScoredTurn {
  message: string;
  result: ChatResult;
}

const round = (x: number) => Number(x.toFixed(4));

/** What the answer may rightly draw on, as the eval's claim check sees it: chunks, tool outputs, the question. */
function groundingOf({ message, result }: ScoredTurn): string[] {
  const toolOutputs = result.steps.flatMap((s) => (s.type === "tool_end" ? [s] : []));
  return groundingSources({ message, sources: result.sources, toolOutputs });
}

function claimsScore(turn: ScoredTurn): OnlineScore | undefined {
  const answer = turn.result.answer;
  if (answer.trim() === "") return undefined;
  // "I don't know" asserts nothing, so it cannot invent anything.
  if (isAbstention(answer))
    return {
      name: OnlineAnnotations.CLAIMS,
      score: 1,
      label: "abstained",
      explanation: "The answer declines to answer; nothing to check.",
    };
  const { score, label, explanation } = claimScore(answer, groundingOf(turn));
  return { name: OnlineAnnotations.CLAIMS, score: round(score), label, explanation };
}

function retrievalScore({ result }: ScoredTurn): OnlineScore | undefined {
  const searched = result.steps.some((s) => s.type === "tool_end" && s.tool === "knowledge_base_search" && !s.error);
  if (!searched) return undefined;
  const scores = result.sources.map((s) => s.score);
  if (scores.length === 0) {
    return {
      name: OnlineAnnotations.RETRIEVAL_RELEVANCE,
      score: 0,
      label: "low",
      explanation: "The knowledge base search returned no chunk.",
    };
  }
  const top = Math.max(...scores);
  const mean = scores.reduce((sum, s) => sum + s, 0) / scores.length;
  const low = top < RETRIEVAL_TOP_SCORE_LOW;
  return {
    name: OnlineAnnotations.RETRIEVAL_RELEVANCE,
    score: round(top),
    label: low ? "low" : "ok",
    explanation: `Top chunk similarity ${top.toFixed(3)}, mean ${mean.toFixed(3)} over ${scores.length}${low ? `: below ${RETRIEVAL_TOP_SCORE_LOW}, the knowledge base probably has nothing on this` : ""}.`,
  };
}

function routeScore({ result }: ScoredTurn): OnlineScore | undefined {
  const route = result.steps.find((s) => s.type === "route");
  if (route?.type !== "route" || route.confidence === undefined) return undefined;
  const low = route.confidence < ROUTE_CONFIDENCE_LOW;
  const model = route.llmConsulted ? `; the model was asked${route.llmChoice ? ` and chose ${route.llmChoice}` : ""}` : "";
  return {
    name: OnlineAnnotations.ROUTE_CONFIDENCE,
    score: round(route.confidence),
    label: low ? "low" : "ok",
    explanation: `Router confidence ${route.confidence.toFixed(3)} in ${route.route} (${route.method ?? "router"}${model})${low ? `: below ${ROUTE_CONFIDENCE_LOW}` : ""}.`,
  };
}

const CHECK_EXPLANATIONS = {
  supported: "Every number, date and name of the generated answer is in the sources; it was shown as written.",
  repaired: "The generated answer had claims in no source; the user got the quoted evidence instead.",
  abstained: "The documents cannot answer this; the user was told so.",
} as const;

function answerCheckScore({ result }: ScoredTurn): OnlineScore | undefined {
  const check = answerCheckOf(result);
  if (!check) return undefined;
  return {
    name: OnlineAnnotations.ANSWER_CHECK,
    score: check.verdict === "supported" ? 1 : 0,
    label: check.verdict,
    explanation: `${CHECK_EXPLANATIONS[check.verdict]} (${check.reason}${check.unsupported > 0 ? `, ${check.unsupported} unsupported` : ""})`,
  };
}

function answerCheckOf(result: ChatResult) {
  const step = result.steps.find((s) => s.type === "answer_check");
  return step?.type === "answer_check" ? step : undefined;
}

/** An answer the guard repaired or declined: always scored, so every one shows up in Phoenix, curation and monitoring. */
function guarded(turn: ScoredTurn): boolean {
  const check = answerCheckOf(turn.result);
  return check !== undefined && check.verdict !== "supported";
}

/** The online scores of one answer; a score that does not apply (no retrieval, no route step) is left out. */
export function scoreOnline(turn: ScoredTurn): OnlineScore[] {
  return [claimsScore(turn), retrievalScore(turn), routeScore(turn), answerCheckScore(turn)].filter(
    (s): s is OnlineScore => s !== undefined,
  );
}

/**
 * Whether this trace is in the sample: a hash of the trace id against the rate, so the same
 * trace is always in or out (re-scoring, several processes) whatever its id looks like.
 */
export function isSampled(traceId: string, rate: number): boolean {
  if (!(rate > 0)) return false;
  if (rate >= 1) return true;
  const bucket = createHash("sha256").update(traceId).digest().readUInt32BE(0) / 2 ** 32;
  return bucket < rate;
}

export interface OnlineEvalDeps {
  /** Share of traces scored, 0–1. */
  sample: number;
  traceLog: Pick<TraceStore, "rootSpan" | "addAnnotation">;
  /** Pushes finished spans out, so the trace that just ended is in the log (and on its way to Phoenix). */
  flush: () => Promise<void>;
  /** Absent when Phoenix export is off. */
  phoenix?: Pick<PhoenixClient, "annotateSpans">;
  /** Waits between Phoenix attempts while it has not ingested the span yet. */
  retryDelaysMs?: number[];
  warn?: (message: string) => void;
}

export interface OnlineEvalOutcome {
  /** Annotations written to the trace log. */
  logged: number;
  /** Whether they reached Phoenix ("off": export disabled). */
  phoenix: "sent" | "failed" | "off";
}

export interface ScheduledOnlineEval {
  sampled: boolean;
  /** Settles (never rejects) when the scores are stored or given up on; tests wait on it. */
  done: Promise<OnlineEvalOutcome | undefined>;
}

const NOT_SAMPLED: ScheduledOnlineEval = { sampled: false, done: Promise.resolve(undefined) };

/** The app's tracing and ONLINE_EVAL_SAMPLE; undefined when tracing is off. */
function processDeps(): OnlineEvalDeps | undefined {
  const tracing = activeTracing();
  if (!tracing) return undefined;
  return {
    sample: getConfig().curation.onlineEvalSample,
    traceLog: tracing.traceLog,
    flush: () => tracing.flush(),
    phoenix: tracing.phoenix,
  };
}

/**
 * Scores a sampled answer in the background. Returns at once: the response never waits, and
 * nothing here throws into the request (failures are one warning; the answer stands).
 */
export function scheduleOnlineEval(turn: ScoredTurn, deps?: OnlineEvalDeps): ScheduledOnlineEval {
  const warn = deps?.warn ?? ((message: string) => console.warn(message));
  try {
    const resolved = deps ?? processDeps();
    if (!resolved || !(isSampled(turn.result.traceId, resolved.sample) || guarded(turn))) return NOT_SAMPLED;
    const done = evaluate(turn, resolved).catch((error: unknown) => {
      warn(`[online-eval] trace ${turn.result.traceId} not scored: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
    return { sampled: true, done };
  } catch (error) {
    warn(`[online-eval] not scheduled: ${error instanceof Error ? error.message : String(error)}`);
    return NOT_SAMPLED;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function evaluate(turn: ScoredTurn, deps: OnlineEvalDeps): Promise<OnlineEvalOutcome> {
  const { traceId } = turn.result;
  // Let the response go out first: everything below runs after the caller's turn.
  await new Promise((resolve) => setImmediate(resolve));
  // The root span ends with the response: it reaches the log at the next batch (250 ms).
  let root = await deps.traceLog.rootSpan(traceId);
  for (const delay of [0, 250, 1_000]) {
    if (root) break;
    if (delay) await sleep(delay);
    await deps.flush();
    root = await deps.traceLog.rootSpan(traceId);
  }
  if (!root) throw new Error("the trace is not in the trace log");
  const rootSpanId = root.spanId;
  const scores = scoreOnline(turn);
  // The same annotation in both places: the trace log (by trace) and Phoenix (on the root span).
  const annotationOf = (s: OnlineScore) => ({
    name: s.name,
    annotatorKind: "CODE" as const,
    label: s.label,
    score: s.score,
    explanation: s.explanation,
    metadata: { source: ONLINE_EVAL_IDENTIFIER },
  });
  for (const s of scores) await deps.traceLog.addAnnotation({ traceId, ...annotationOf(s) });
  if (!deps.phoenix || scores.length === 0) return { logged: scores.length, phoenix: "off" };
  const annotations: SpanAnnotationInput[] = scores.map((s) => ({
    spanId: rootSpanId,
    ...annotationOf(s),
    identifier: ONLINE_EVAL_IDENTIFIER,
  }));
  try {
    await annotateWhenIngested(deps.phoenix, annotations, deps.retryDelaysMs);
    return { logged: scores.length, phoenix: "sent" };
  } catch (error) {
    (deps.warn ?? console.warn)(
      `[online-eval] scores not sent to Phoenix (kept in the trace log): ${error instanceof Error ? error.message : String(error)}`,
    );
    return { logged: scores.length, phoenix: "failed" };
  }
}
