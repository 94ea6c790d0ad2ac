import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { recordFeedback } from "./feedback";
import { useTempTraceLog } from "@/test-support/trace-log/recorded-traces";

// An unknown trace is a 404, unless the trace log has been losing spans: then the answer's
// trace was probably lost, and the user is told that instead of "not found".

const request = { traceId: "0af7651916cd43dd8448eb211c80319c", score: 1 as const, comment: null };

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error: unknown = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return (error as AppError).code;
}

describe("recordFeedback on a trace the log does not have", () => {
  const temp = useTempTraceLog();
  const flush = () => Promise.resolve();

  it("is trace_not_found (404) while the log writes fine", async () => {
    expect(await codeOf(recordFeedback(request, { traceLog: temp.log, flush, spansLost: () => 0 }))).toBe("trace_not_found");
  });

  it("is trace_not_logged (503), naming the lost spans, when writes have been failing", async () => {
    const error: unknown = await recordFeedback(request, { traceLog: temp.log, flush, spansLost: () => 7 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "trace_not_logged", status: 503 });
    expect((error as AppError).message).toContain("7 span(s)");
    expect(temp.log.feedbackFor(request.traceId)).toEqual([]);
  });
});
