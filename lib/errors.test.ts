import { describe, expect, it } from "vitest";
import { AppError, errorCategory, isErrorCode, toAppError } from "./errors";

describe("AppError", () => {
  it("carries the status and category of its code", () => {
    const error = new AppError("model_missing", "run npm run models");
    expect([error.status, error.category]).toEqual([503, "setup"]);
    expect(new AppError("invalid_body", "x").category).toBe("request");
    expect(new AppError("tool_timeout", "x").category).toBe("runtime");
    expect(error.toInfo()).toEqual({ code: "model_missing", message: "run npm run models" });
  });

  it("knows its codes", () => {
    expect(isErrorCode("index_missing")).toBe(true);
    expect(isErrorCode("toString")).toBe(false);
    expect(errorCategory("corpus_invalid")).toBe("setup");
  });

  it("normalises anything thrown", () => {
    expect(toAppError(new Error("boom"), "llm_failed").code).toBe("llm_failed");
    expect(toAppError(Object.assign(new Error("x"), { name: "AbortError" })).code).toBe("aborted");
  });
});
