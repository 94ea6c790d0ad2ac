import { describe, expect, it } from "vitest";
import { z } from "zod";
import { readFormBody } from "./read-form-body";

const schema = z.object({ token: z.string().max(8).default("") });
const post = (body: BodyInit, headers: Record<string, string>) => new Request("http://127.0.0.1/x", { method: "POST", body, headers });
const form = { "content-type": "application/x-www-form-urlencoded" };

describe("readFormBody", () => {
  it("parses and validates a small form", async () => {
    await expect(readFormBody(post("token=abc", form), schema)).resolves.toEqual({ token: "abc" });
    await expect(readFormBody(post("token=far-too-long", form), schema)).rejects.toMatchObject({ code: "invalid_body" });
  });

  it("refuses a claimed 50 MB body at once instead of waiting for it", async () => {
    // A stream that never ends: reading it would hang, the declared length must be enough.
    const endless = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => undefined) });
    const request = new Request("http://127.0.0.1/x", {
      method: "POST",
      body: endless,
      headers: { ...form, "content-length": String(50 * 1024 * 1024) },
      duplex: "half",
    } as RequestInit);
    await expect(readFormBody(request, schema)).rejects.toMatchObject({ code: "payload_too_large" });
  });

  it("stops reading a body that passes the cap without a declared length", async () => {
    await expect(readFormBody(post(`token=${"x".repeat(10_000)}`, form), schema, 1024)).rejects.toMatchObject({
      code: "payload_too_large",
    });
  });

  it("asks for the form content type", async () => {
    await expect(readFormBody(post("{}", { "content-type": "application/json" }), schema)).rejects.toMatchObject({
      code: "unsupported_media_type",
    });
  });
});
