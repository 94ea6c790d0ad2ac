import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { modelCallError } from "./model-call-error";

// Errors shaped as the OpenAI SDK and LangChain leave them (status, name, retryAfterMs); the
// integration test (agents/openai-compatible.integration.test.ts) gets the real ones from stubs.

const failure = (message: string, fields: Record<string, unknown> = {}) => Object.assign(new Error(message), fields);
const TROUBLESHOOTING = "\n\nTroubleshooting URL: https://docs.langchain.com/oss/javascript/langchain/errors/MODEL_RATE_LIMIT/\n";

describe("modelCallError", () => {
  it("names a call that ran past OPENAI_TIMEOUT_MS", () => {
    const error = modelCallError(failure("Request timed out.", { name: "TimeoutError" }));
    expect([error.code, error.status]).toEqual(["llm_timeout", 504]);
    expect(error.message).toContain("OPENAI_TIMEOUT_MS");
  });

  it("turns a 429 into llm_rate_limited with the server's Retry-After, without LangChain's link", () => {
    const error = modelCallError(failure(`429 slow down${TROUBLESHOOTING}`, { status: 429, retryAfterMs: 1500 }));
    expect([error.code, error.status, error.retryAfterSeconds]).toEqual(["llm_rate_limited", 503, 2]);
    expect(error.message).toContain("429 slow down");
    expect(error.message).not.toContain("\n");
    const noHint = modelCallError(failure("429 slow down", { status: 429 }));
    expect([noHint.code, noHint.retryAfterSeconds]).toEqual(["llm_rate_limited", undefined]);
  });

  it("keeps the server's status for other failures", () => {
    const error = modelCallError(failure("500 upstream broke", { status: 500 }));
    expect([error.code, error.message]).toEqual(["llm_failed", "The chat model's server failed (500 upstream broke)"]);
    expect(modelCallError(failure("Connection error.")).toInfo()).toEqual({ code: "llm_failed", message: "Connection error." });
  });

  it("passes AppErrors and aborts through", () => {
    const own = new AppError("model_missing", "run npm run models");
    expect(modelCallError(own)).toBe(own);
    expect(modelCallError(failure("This operation was aborted", { name: "AbortError" })).code).toBe("aborted");
    expect(modelCallError("odd").code).toBe("llm_failed");
  });
});
