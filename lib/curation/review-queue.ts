import fs from "node:fs";
import { z } from "zod";
import { AppError } from "../errors";
import { writeFileAtomic } from "../fs/write-file-atomic";
import { routeNameSchema } from "../datasets/route-name";
import { historyTurnSchema } from "../datasets/dataset-example";
import { parseJsonlLines } from "../validation/jsonl";

/**
 * The review queue: dataset candidates that `npm run curate` proposes from logged traces and
 * a person decides on at /review. One JSON object per line at REVIEW_QUEUE_PATH. Curation
 * writes it (never the datasets); the review API reads it and records each decision.
 */

/** Why a trace was proposed. A candidate can have several reasons. */
export const CANDIDATE_REASONS = [
  "negative_feedback",
  "low_online_score",
  "error",
  "tool_failure",
  "latency_outlier",
  "cost_outlier",
  "low_confidence_route",
  "novel",
] as const;
export type CandidateReasonCode = (typeof CANDIDATE_REASONS)[number];

const text = z.string();

export const candidateReasonSchema = z.strictObject({
  code: z.enum(CANDIDATE_REASONS),
  /** Human-readable: "👎 with comment: wrong number", "p95 latency 9.1 s > 4.2 s", ... */
  detail: text,
});

export const candidateToolCallSchema = z.strictObject({
  name: text,
  /** The tool's arguments as recorded on its span (JSON text). */
  input: text,
  output: text,
  status: z.enum(["ok", "error"]),
});

export const candidateChunkSchema = z.strictObject({
  /** Chunk id as the retriever recorded it (`<docId>#<n>`). */
  id: text,
  docId: text,
  title: text.optional(),
  score: z.number().nullable(),
  content: text,
});

export const candidateFeedbackSchema = z.strictObject({
  score: z.number(),
  comment: text.optional(),
});

export const candidateScoreSchema = z.strictObject({
  score: z.number().nullable(),
  label: text.nullable(),
  explanation: text.optional(),
});

/** What the reviewer starts from: read from the trace, to be corrected, not trusted. */
export const candidateSuggestionSchema = z.strictObject({
  answer: text.optional(),
  facts: z.array(text).optional(),
  docIds: z.array(text).optional(),
  route: routeNameSchema.optional(),
});

export const reviewCandidateSchema = z.strictObject({
  /** Stable per trace: `cand-<traceId>`. */
  id: z.string().regex(/^cand-[0-9a-f]{32}$/),
  traceId: z.string().regex(/^[0-9a-f]{32}$/),
  sessionId: text.optional(),
  /** When curation proposed it. */
  proposedAt: z.iso.datetime({ offset: true }),
  /** When the trace's root span started. */
  tracedAt: z.iso.datetime({ offset: true }),
  /** "log" or "phoenix": where curation read the trace. */
  traceSource: z.enum(["log", "phoenix"]),
  reasons: z.array(candidateReasonSchema).min(1),
  input: z.strictObject({ message: text, history: z.array(historyTurnSchema).optional() }),
  answer: text,
  route: routeNameSchema.nullable(),
  routeConfidence: z.number().nullable(),
  toolCalls: z.array(candidateToolCallSchema),
  retrieved: z.array(candidateChunkSchema),
  feedback: z.array(candidateFeedbackSchema),
  /** Online eval scores on the trace, by annotation name. */
  onlineScores: z.record(text, candidateScoreSchema),
  latencyMs: z.number(),
  costUsd: z.number().nullable(),
  tokens: z.number().nullable(),
  /** Phoenix "View trace" link, when Phoenix is configured. */
  traceUrl: text.optional(),
  suggested: candidateSuggestionSchema,
  status: z.enum(["pending", "accepted", "rejected"]),
  decidedAt: z.iso.datetime({ offset: true }).optional(),
  /** The dataset item an accepted candidate became. */
  datasetItemId: text.optional(),
});

export type CandidateReason = z.infer<typeof candidateReasonSchema>;
export type ReviewCandidate = z.infer<typeof reviewCandidateSchema>;

export function candidateIdFor(traceId: string): string {
  return `cand-${traceId}`;
}

/** A queue file that cannot be used; names the file and line. */
export class ReviewQueueError extends AppError {
  constructor(file: string, line: number, problem: string) {
    super("review_queue_invalid", `${file}:${line}: ${problem}`);
    this.name = "ReviewQueueError";
  }
}

/** Reads the queue; a missing file is an empty queue, a bad line an error naming it. */
export function readReviewQueue(file: string): ReviewCandidate[] {
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, "utf8");
  return parseJsonlLines(text, reviewCandidateSchema, (line, problem) => new ReviewQueueError(file, line, problem)).map((l) => l.value);
}

/** Replaces the queue file atomically. */
export function writeReviewQueue(file: string, candidates: readonly ReviewCandidate[]): void {
  writeFileAtomic(file, candidates.map((c) => JSON.stringify(reviewCandidateSchema.parse(c))).join("\n") + (candidates.length ? "\n" : ""));
}

/**
 * Adds newly proposed candidates to the queue. A trace already in the queue keeps its entry
 * (and its decision): curating twice never re-opens what a person decided.
 */
export function mergeIntoQueue(
  existing: readonly ReviewCandidate[],
  proposed: readonly ReviewCandidate[],
): { queue: ReviewCandidate[]; added: ReviewCandidate[] } {
  const known = new Set(existing.map((c) => c.traceId));
  const added = proposed.filter((c) => !known.has(c.traceId));
  return { queue: [...existing, ...added], added };
}
