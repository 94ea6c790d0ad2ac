import { z } from "zod";
import { AppError, toAppError } from "../errors";

/**
 * What a failed call to a chat model's server (OpenAI or any OpenAI-compatible one) carries,
 * as the OpenAI SDK and LangChain leave it: LangChain renames a timeout `TimeoutError`, the SDK
 * keeps the HTTP status, and LangChain's retry logic puts the server's Retry-After (when it sent
 * one) on the error as `retryAfterMs`.
 */
const failedCallSchema = z.object({
  name: z.string(),
  message: z.string(),
  status: z.number().int().optional(),
  retryAfterMs: z.number().min(0).optional(),
});

/**
 * A chat model call's failure as an AppError a user or operator can act on: `llm_timeout` (no
 * answer within OPENAI_TIMEOUT_MS), `llm_rate_limited` (HTTP 429, with the server's Retry-After),
 * else `llm_failed` with the server's status. Without this, every upstream failure was
 * `llm_failed` with the SDK's text plus LangChain's troubleshooting link, and the route's own
 * timeout read the same as a crash. AppErrors (the local model's) and aborts pass through.
 */
export function modelCallError(error: unknown): AppError {
  const parsed = failedCallSchema.safeParse(error);
  if (error instanceof AppError || !parsed.success || parsed.data.name === "AbortError") return toAppError(error, "llm_failed");
  const { name, status, retryAfterMs } = parsed.data;
  // LangChain appends "\n\nTroubleshooting URL: …" to some messages: the first line is the server's.
  const detail = parsed.data.message.split("\n")[0]!.trim();
  const options = { cause: error };
  if (name === "TimeoutError") {
    return new AppError(
      "llm_timeout",
      "The chat model's server did not answer within OPENAI_TIMEOUT_MS: check that it is up and not overloaded, or raise OPENAI_TIMEOUT_MS",
      options,
    );
  }
  if (status === 429) {
    const retryAfterSeconds = retryAfterMs === undefined ? undefined : Math.max(1, Math.ceil(retryAfterMs / 1000));
    const when = retryAfterSeconds === undefined ? "later" : `in ${retryAfterSeconds} s`;
    return new AppError(
      "llm_rate_limited",
      `The chat model's server is rate limiting requests (${detail}): try again ${when}; OPENAI_MAX_CONCURRENCY caps the calls in flight`,
      { ...options, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) },
    );
  }
  if (status !== undefined) return new AppError("llm_failed", `The chat model's server failed (${detail})`, options);
  return new AppError("llm_failed", detail || "The chat model call failed", options);
}
