import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http/responses";
import { readJsonBody } from "@/lib/http/read-json-body";
import { feedbackRequestSchema, recordFeedback } from "@/lib/telemetry/feedback";
import { activeTracing } from "@/lib/telemetry/tracing-registry";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** A thumbs up/down (and comment) on an answer's trace: stored in the trace log, annotated in Phoenix. */
export async function POST(request: Request): Promise<Response> {
  try {
    const body = await readJsonBody(request, feedbackRequestSchema);
    const tracing = activeTracing();
    if (!tracing) throw new AppError("tracing_off", "Tracing is off (TRACING=off), so there is no trace to attach feedback to");
    const { feedback, phoenix } = await recordFeedback(body, {
      traceLog: tracing.traceLog,
      flush: () => tracing.flush(),
      phoenix: tracing.phoenix,
      spansLost: () => tracing.traceLogStats().dropped,
    });
    return Response.json({ feedback, phoenix }, { status: 201 });
  } catch (error) {
    return errorResponse(error);
  }
}
