import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "../errors";
import { readJsonBody } from "./read-json-body";

const schema = z.strictObject({ message: z.string().min(1) });

function post(body: BodyInit, headers: Record<string, string> = { "content-type": "application/json" }): Request {
  return new Request("http://127.0.0.1/api", { method: "POST", body, headers });
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return `${error.status} ${error.code}`;
    throw error;
  }
  return "resolved";
}

describe("readJsonBody", () => {
  it("returns the validated body", async () => {
    await expect(readJsonBody(post('{"message":"hi"}'), schema)).resolves.toEqual({ message: "hi" });
  });

  it("rejects each kind of bad input with its own 4xx code", async () => {
    expect(await codeOf(readJsonBody(post("{not json"), schema))).toBe("400 invalid_json");
    expect(await codeOf(readJsonBody(post('{"message":42}'), schema))).toBe("400 invalid_body");
    expect(await codeOf(readJsonBody(post('{"message":""}'), schema))).toBe("400 invalid_body");
    expect(await codeOf(readJsonBody(post('{"message":"x","extra":1}'), schema))).toBe("400 invalid_body");
    expect(await codeOf(readJsonBody(post('"just a string"'), schema))).toBe("400 invalid_body");
    expect(await codeOf(readJsonBody(post("hi", { "content-type": "text/plain" }), schema))).toBe("415 unsupported_media_type");
  });

  it("stops reading a body once it passes the limit, even without Content-Length", async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(16 * 1024).fill(32));
      },
    });
    const request = new Request("http://127.0.0.1/api", {
      method: "POST",
      body: endless,
      headers: { "content-type": "application/json" },
      duplex: "half",
    } as RequestInit);
    expect(await codeOf(readJsonBody(request, schema, 64 * 1024))).toBe("413 payload_too_large");
    expect(pulled).toBeLessThan(10);
  });

  it("trusts a too-large Content-Length without reading", async () => {
    const request = post('{"message":"hi"}', { "content-type": "application/json", "content-length": "999999" });
    expect(await codeOf(readJsonBody(request, schema, 1024))).toBe("413 payload_too_large");
  });
});
