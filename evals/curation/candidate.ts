import type { HistoryTurn } from "@/lib/datasets/dataset-example";
import { candidateIdFor, reviewCandidateSchema, type CandidateReason, type ReviewCandidate } from "@/lib/curation/review-queue";
import type { TraceSummary } from "./trace-summary";

/**
 * A trace summary as a review candidate: what the reviewer sees and starts the dataset item
 * from. The suggestion copies what the agent did (its answer, the documents it retrieved, its
 * route): a starting point to correct, never a label to trust.
 */
export function toCandidate(
  summary: TraceSummary,
  reasons: readonly CandidateReason[],
  options: { source: "log" | "phoenix"; proposedAt: Date; history?: HistoryTurn[]; traceUrl?: string },
): ReviewCandidate {
  const docIds = [...new Set(summary.retrieved.map((c) => c.docId))];
  return reviewCandidateSchema.parse({
    id: candidateIdFor(summary.traceId),
    traceId: summary.traceId,
    ...(summary.sessionId !== undefined ? { sessionId: summary.sessionId } : {}),
    proposedAt: options.proposedAt.toISOString(),
    tracedAt: new Date(summary.tracedAtMs).toISOString(),
    traceSource: options.source,
    reasons,
    input: { message: summary.question, ...(options.history ? { history: options.history } : {}) },
    answer: summary.answer,
    route: summary.route,
    routeConfidence: summary.routeConfidence,
    toolCalls: summary.toolCalls,
    retrieved: summary.retrieved,
    feedback: summary.feedback,
    onlineScores: summary.onlineScores,
    latencyMs: summary.latencyMs,
    costUsd: summary.costUsd,
    tokens: summary.tokens,
    ...(options.traceUrl ? { traceUrl: options.traceUrl } : {}),
    suggested: {
      ...(summary.answer ? { answer: summary.answer } : {}),
      ...(docIds.length > 0 ? { docIds } : {}),
      ...(summary.route ? { route: summary.route } : {}),
    },
    status: "pending",
  });
}
