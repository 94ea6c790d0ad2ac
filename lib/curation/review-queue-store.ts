import { withFileLock } from "../fs/file-lock";
import { mergeIntoQueue, readReviewQueue, writeReviewQueue, type ReviewCandidate } from "./review-queue";

/**
 * Where the review queue lives: the JSONL file at REVIEW_QUEUE_PATH (this file), or PostgreSQL
 * when DATABASE_URL is set (pg-review-queue.ts), so every replica's /review and `npm run curate`
 * share one queue. Either way a decision never overwrites another and curating never re-opens
 * or drops one.
 */

/** What a decision changes on its candidate. */
export interface CandidateDecision {
  status: "accepted" | "rejected";
  decidedAt: string;
  datasetItemId?: string;
}

export interface ReviewQueueStore {
  /** For messages: the file, or the database (without its password). */
  readonly location: string;
  /** Every candidate, decided or not, in the order they were proposed. */
  list(): Promise<ReviewCandidate[]>;
  /**
   * Runs `work` on the candidate of `traceId` (undefined when it is not queued) while no other
   * decision on it can run, and saves the decision `work` returns before letting the next one
   * in; nothing is saved when `work` throws. The file queue relies on its caller holding the
   * queue's file lock (review-service.ts applyDecision does); PostgreSQL locks the row.
   */
  decide<T>(
    traceId: string,
    work: (candidate: ReviewCandidate | undefined) => Promise<{ result: T; decision?: CandidateDecision }>,
  ): Promise<T>;
  /** Adds proposed candidates whose trace is not queued yet; a queued one keeps its entry and decision. */
  merge(proposed: readonly ReviewCandidate[]): Promise<{ added: ReviewCandidate[]; size: number }>;
}

export function withDecision(candidate: ReviewCandidate, decision: CandidateDecision): ReviewCandidate {
  return {
    ...candidate,
    status: decision.status,
    decidedAt: decision.decidedAt,
    ...(decision.datasetItemId ? { datasetItemId: decision.datasetItemId } : {}),
  };
}

// Curation holds the file only while it merges; a merge waits this long for a decision to finish.
const MERGE_LOCK_WAIT_MS = 60_000;

/** The queue as one JSONL file, replaced atomically on every change. */
export class FileReviewQueue implements ReviewQueueStore {
  constructor(readonly location: string) {}

  list(): Promise<ReviewCandidate[]> {
    return Promise.resolve().then(() => readReviewQueue(this.location));
  }

  async decide<T>(
    traceId: string,
    work: (candidate: ReviewCandidate | undefined) => Promise<{ result: T; decision?: CandidateDecision }>,
  ): Promise<T> {
    const queue = readReviewQueue(this.location);
    const { result, decision } = await work(queue.find((c) => c.traceId === traceId));
    if (decision) {
      writeReviewQueue(
        this.location,
        queue.map((c) => (c.traceId === traceId ? withDecision(c, decision) : c)),
      );
    }
    return result;
  }

  merge(proposed: readonly ReviewCandidate[]): Promise<{ added: ReviewCandidate[]; size: number }> {
    // Merged into the queue as it is now, under the lock the review page takes: decisions made
    // since curation read the queue stay.
    return withFileLock(
      this.location,
      () => {
        const now = mergeIntoQueue(readReviewQueue(this.location), proposed);
        if (now.added.length > 0) writeReviewQueue(this.location, now.queue);
        return { added: now.added, size: now.queue.length };
      },
      { what: "the review queue", waitMs: MERGE_LOCK_WAIT_MS },
    );
  }
}
