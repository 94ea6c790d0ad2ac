import type { ReviewCandidate } from "@/lib/curation/review-queue";
import type { DatasetExample } from "@/lib/datasets/dataset-example";

/** GET /api/review/queue, as the browser receives it. */
export interface ReviewListingBody {
  candidates: ReviewCandidate[];
  synthetic: DatasetExample[];
  counts: { pending: number; accepted: number; rejected: number; synthetic: number };
}

export type { DatasetExample, ReviewCandidate };

/** Splits a textarea into one non-empty item per line. */
export function linesOf(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
}

/** Splits "a, b c" into ["a", "b", "c"]. */
export function idsOf(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}
