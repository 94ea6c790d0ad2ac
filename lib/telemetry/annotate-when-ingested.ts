import { PhoenixSpansNotFoundError, type PhoenixClient } from "./phoenix-client";
import type { SpanAnnotationInput } from "./phoenix-rest-schemas";

/**
 * Phoenix ingests spans asynchronously, and lags on a busy machine: during a 103-turn traffic
 * run on a loaded 2-core box, 111 of ~160 annotations found their span missing for the whole of
 * an earlier 15 s retry window. So annotations are retried for about a minute in all.
 */
export const INGEST_RETRY_DELAYS_MS: readonly number[] = [0, 500, 1_000, 2_000, 4_000, 8_000, 15_000, 30_000];

/**
 * Sends annotations, retrying while Phoenix does not know the span yet. Resolves once they
 * are written; rejects with the last error when Phoenix refuses them for another reason, or
 * still lacks the span after the last retry.
 */
export async function annotateWhenIngested(
  phoenix: Pick<PhoenixClient, "annotateSpans">,
  annotations: SpanAnnotationInput[],
  delaysMs: readonly number[] = INGEST_RETRY_DELAYS_MS,
): Promise<void> {
  let lastError: unknown = new Error("no attempt made");
  for (const delay of delaysMs) {
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    try {
      await phoenix.annotateSpans(annotations);
      return;
    } catch (error) {
      lastError = error;
      if (!(error instanceof PhoenixSpansNotFoundError)) break;
    }
  }
  throw lastError;
}
