import type { z } from "zod";
import { AppError } from "../errors";
import { annotateWhenIngested } from "./annotate-when-ingested";
import type { PhoenixClient } from "./phoenix-client";
import { feedbackInputSchema, type FeedbackRecord } from "./trace-log/trace-log-records";
import type { TraceStore } from "./trace-log/trace-store";
import { USER_FEEDBACK_JUDGEMENT } from "./trace-log/trace-reader";

/** `POST /api/feedback`: a thumbs up (1) or down (0) on one answer's trace, with an optional comment. */
export const feedbackRequestSchema = feedbackInputSchema.pick({ traceId: true, score: true, comment: true });
export type FeedbackRequest = z.output<typeof feedbackRequestSchema>;

/** The annotation name feedback gets in Phoenix (and in the trace log). */
export const FEEDBACK_ANNOTATION = USER_FEEDBACK_JUDGEMENT;

export interface FeedbackDeps {
  /** The SQLite file or PostgreSQL (DATABASE_URL). */
  traceLog: Pick<TraceStore, "rootSpan" | "addFeedback">;
  /** Pushes finished spans out, so a trace that just ended is in the log (and sent to Phoenix). */
  flush: () => Promise<void>;
  /** Absent when Phoenix export is off. */
  phoenix?: PhoenixClient;
  /** Spans the trace log has lost to write failures; an unknown trace is then likely one of them. */
  spansLost?: () => number;
  /** Waits between attempts while Phoenix has not ingested the span yet. */
  retryDelaysMs?: number[];
  warn?: (message: string) => void;
}

export interface FeedbackResult {
  feedback: FeedbackRecord;
  /** "queued": the annotation is on its way to Phoenix; "off": Phoenix export is disabled. */
  phoenix: "queued" | "off";
  /** Settles when the Phoenix annotation is written or given up on (tests wait on it). */
  delivered: Promise<boolean>;
}

/**
 * Records a human judgement on a trace: in the trace log first (the durable record; an
 * unknown trace is a 404 and nothing is written), then on the trace's root span in Phoenix
 * as a HUMAN annotation, in the background. Phoenix ingests spans asynchronously, so the
 * annotation is retried while Phoenix does not know the span yet.
 */
export async function recordFeedback(request: FeedbackRequest, deps: FeedbackDeps): Promise<FeedbackResult> {
  let root = await deps.traceLog.rootSpan(request.traceId);
  if (!root) {
    // The answer may have ended a moment ago, its spans still in the batch queue.
    await deps.flush();
    root = await deps.traceLog.rootSpan(request.traceId);
  }
  if (!root) {
    const lost = deps.spansLost?.() ?? 0;
    if (lost > 0) {
      throw new AppError(
        "trace_not_logged",
        `No trace ${request.traceId} in the trace log, which has failed to write ${lost} span(s) (see /api/health): this answer's trace was probably lost, so the feedback cannot be kept`,
      );
    }
    throw new AppError("trace_not_found", `No trace ${request.traceId} in the trace log`);
  }
  const feedback = await deps.traceLog.addFeedback({ ...request, source: "api" });
  if (!deps.phoenix) return { feedback, phoenix: "off", delivered: Promise.resolve(false) };

  const annotation = {
    spanId: root.spanId,
    name: FEEDBACK_ANNOTATION,
    annotatorKind: "HUMAN" as const,
    label: request.score === 1 ? "thumbs_up" : "thumbs_down",
    score: request.score,
    ...(request.comment ? { explanation: request.comment } : {}),
    metadata: { feedback_id: feedback.id, source: "api" },
    // One judgement per answer: a second click replaces the first.
    identifier: "chat-ui",
  };
  const delivered = annotateWhenIngested(deps.phoenix, [annotation], deps.retryDelaysMs).then(
    () => true,
    (error: unknown) => {
      (deps.warn ?? console.warn)(
        `[feedback] not sent to Phoenix (kept in the trace log): ${error instanceof Error ? error.message : String(error)}`,
      );
      return false;
    },
  );
  return { feedback, phoenix: "queued", delivered };
}
