import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { errorResponse, negotiateResponseMode } from "./responses";

describe("negotiateResponseMode", () => {
  it("chooses the stream only when asked for it", () => {
    expect(negotiateResponseMode("text/event-stream")).toBe("event-stream");
    expect(negotiateResponseMode("application/json")).toBe("json");
    expect(negotiateResponseMode(null)).toBe("json");
    expect(negotiateResponseMode("*/*")).toBe("json");
    expect(negotiateResponseMode("text/html, text/event-stream;q=0.9")).toBe("event-stream");
  });

  it("refuses formats it cannot produce", () => {
    expect(() => negotiateResponseMode("text/html")).toThrowError(AppError);
  });
});

describe("errorResponse", () => {
  it("maps an AppError to its status and a JSON body", async () => {
    const response = errorResponse(new AppError("invalid_body", "message: too long"));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: "invalid_body", message: "message: too long" } });
  });

  it("hides the detail of unexpected errors", async () => {
    const original = console.error;
    console.error = () => undefined;
    try {
      const response = errorResponse(new Error("secret stack detail"));
      expect(response.status).toBe(500);
      expect(JSON.stringify(await response.json())).not.toContain("secret");
    } finally {
      console.error = original;
    }
  });

  it("shows no folder of the machine", async () => {
    const where = `${process.cwd()}/models/smollm2-135m/model.gguf`;
    const response = errorResponse(new AppError("model_missing", `model file ${where} is missing: run \`npm run models\``));
    expect(response.status).toBe(503);
    const body = JSON.stringify(await response.json());
    expect(body).not.toContain(process.cwd());
    expect(body).toContain("model file models/smollm2-135m/model.gguf is missing");
  });
});
