import type { CandidateReason, CandidateReasonCode } from "@/lib/curation/review-queue";
import { ROUTE_CONFIDENCE_LOW } from "@/lib/quality/thresholds";
import { OnlineAnnotations } from "@/lib/telemetry/attributes";
import { costValue, type OutlierCuts } from "./outliers";
import type { TraceSummary } from "./trace-summary";

/**
 * Why a trace deserves a person's look, one picker per reason. Each returns the reason with a
 * detail the reviewer reads ("👎: wrong figure", "9.1 s, route median 2.3 s, cut 4.2 s"), or
 * nothing. Novelty needs embeddings and is decided in novelty.ts.
 */

/**
 * How strongly a reason argues for review, for ranking and balancing: a user saying the answer
 * was bad, or the run failing, is direct evidence; a cheap score or an unusual shape is a hint.
 */
export const REASON_STRENGTH: Record<CandidateReasonCode, number> = {
  negative_feedback: 1,
  error: 0.9,
  tool_failure: 0.8,
  low_online_score: 0.7,
  low_confidence_route: 0.6,
  novel: 0.5,
  latency_outlier: 0.4,
  cost_outlier: 0.3,
};

/**
 * Online scores that mean "look": the claim check found an invented figure, retrieval found
 * nothing relevant, the answer guard had to replace the model's text or decline (a repaired
 * answer is the model's hallucination caught; an abstention may be a gap in the documents).
 */
const LOW_ONLINE: Record<string, (score: number | null, label: string | null) => boolean> = {
  [OnlineAnnotations.CLAIMS]: (score, label) => label === "unsupported_claims" || (score !== null && score < 1),
  [OnlineAnnotations.RETRIEVAL_RELEVANCE]: (_score, label) => label === "low",
  [OnlineAnnotations.ANSWER_CHECK]: (_score, label) => label === "repaired" || label === "abstained",
};

function negativeFeedback(s: TraceSummary): CandidateReason | undefined {
  const bad = s.feedback.find((f) => f.score === 0);
  if (!bad) return undefined;
  return { code: "negative_feedback", detail: bad.comment ? `👎 with comment: ${bad.comment}` : "👎 without comment" };
}

function errors(s: TraceSummary): CandidateReason | undefined {
  if (s.errors.length === 0) return undefined;
  return { code: "error", detail: s.errors.map((e) => `${e.span}: ${e.message}`).join("; ") };
}

function toolFailure(s: TraceSummary): CandidateReason | undefined {
  const failed = s.toolCalls.filter((t) => t.status === "error");
  if (failed.length === 0) return undefined;
  return { code: "tool_failure", detail: failed.map((t) => `${t.name} failed${t.output ? `: ${t.output.slice(0, 200)}` : ""}`).join("; ") };
}

function lowOnlineScore(s: TraceSummary): CandidateReason | undefined {
  const low = Object.entries(s.onlineScores).filter(([name, v]) => LOW_ONLINE[name]?.(v.score, v.label));
  if (low.length === 0) return undefined;
  return {
    code: "low_online_score",
    detail: low
      .map(([name, v]) => `${name} ${v.score ?? "–"} (${v.label ?? "no label"})${v.explanation ? `: ${v.explanation}` : ""}`)
      .join("; "),
  };
}

function lowConfidenceRoute(s: TraceSummary, threshold: number): CandidateReason | undefined {
  if (s.routeConfidence === null || s.routeConfidence >= threshold) return undefined;
  return {
    code: "low_confidence_route",
    detail: `router confidence ${s.routeConfidence.toFixed(3)} < ${threshold} for ${s.route ?? "no route"}${s.routeMethod ? ` (${s.routeMethod})` : ""}`,
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function latencyOutlier(s: TraceSummary, cuts: OutlierCuts): CandidateReason | undefined {
  const cut = cuts.latency(s);
  if (!cut || s.latencyMs <= cut.cut) return undefined;
  return {
    code: "latency_outlier",
    detail: `${seconds(s.latencyMs)} > ${seconds(cut.cut)} (median ${seconds(cut.median)} over ${cut.n} traces, ${cut.over})`,
  };
}

function costOutlier(s: TraceSummary, cuts: OutlierCuts): CandidateReason | undefined {
  const value = costValue(s, cuts.costMetric);
  const cut = cuts.cost(s);
  if (value === undefined || !cut || value <= cut.cut) return undefined;
  const show = (v: number) => (cuts.costMetric === "costUsd" ? `$${v.toFixed(5)}` : `${Math.round(v)} tokens`);
  return {
    code: "cost_outlier",
    detail: `${show(value)} > ${show(cut.cut)} (median ${show(cut.median)} over ${cut.n} traces, ${cut.over})`,
  };
}

export interface ReasonOptions {
  cuts: OutlierCuts;
  routeConfidenceBelow?: number;
}

/** Every reason but novelty that applies to the trace, strongest first. */
export function pickReasons(s: TraceSummary, options: ReasonOptions): CandidateReason[] {
  const picked = [
    negativeFeedback(s),
    errors(s),
    toolFailure(s),
    lowOnlineScore(s),
    lowConfidenceRoute(s, options.routeConfidenceBelow ?? ROUTE_CONFIDENCE_LOW),
    latencyOutlier(s, options.cuts),
    costOutlier(s, options.cuts),
  ];
  return sortReasons(picked.filter((r): r is CandidateReason => r !== undefined));
}

export function sortReasons(reasons: readonly CandidateReason[]): CandidateReason[] {
  return [...reasons].sort((a, b) => REASON_STRENGTH[b.code] - REASON_STRENGTH[a.code]);
}

/**
 * Rank of a candidate: its strongest reason, plus a little for each further one, so two hints
 * together rank above either alone but never above stronger evidence (at most 7 × 0.01).
 */
export function priorityOf(reasons: readonly CandidateReason[]): number {
  if (reasons.length === 0) return 0;
  return Math.max(...reasons.map((r) => REASON_STRENGTH[r.code])) + 0.01 * (reasons.length - 1);
}
