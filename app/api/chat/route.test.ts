import { describe, expect, it } from "vitest";
import type { ErrorBody } from "@/lib/errors";
import { POST } from "./route";

// Validation happens before any model or index is touched, so these run without them.

function chatRequest(body: string, headers: Record<string, string> = {}): Request {
  return new Request("http://127.0.0.1:3000/api/chat", {
    method: "POST",
    body,
    headers: { "content-type": "application/json", accept: "application/json", ...headers },
  });
}

const badInputs: [string, Request, number, string][] = [
  ["malformed JSON", chatRequest('{"message": '), 400, "invalid_json"],
  ["message of the wrong type", chatRequest(JSON.stringify({ message: 42 })), 400, "invalid_body"],
  ["missing message", chatRequest(JSON.stringify({ sessionId: "abc" })), 400, "invalid_body"],
  ["empty message", chatRequest(JSON.stringify({ message: "" })), 400, "invalid_body"],
  ["whitespace-only message", chatRequest(JSON.stringify({ message: "  \n\t " })), 400, "invalid_body"],
  ["message over 4,000 characters", chatRequest(JSON.stringify({ message: "a".repeat(4001) })), 400, "invalid_body"],
  ["body over 64 KB", chatRequest(JSON.stringify({ message: "hi", pad: "x".repeat(70_000) })), 413, "payload_too_large"],
  ["unknown field", chatRequest(JSON.stringify({ message: "hi", admin: true })), 400, "invalid_body"],
  ["bad session id", chatRequest(JSON.stringify({ message: "hi", sessionId: "../../etc" })), 400, "invalid_body"],
  ["array body", chatRequest("[]"), 400, "invalid_body"],
  [
    "not JSON content type",
    chatRequest("message=hi", { "content-type": "application/x-www-form-urlencoded" }),
    415,
    "unsupported_media_type",
  ],
  ["unsupported Accept", chatRequest(JSON.stringify({ message: "hi" }), { accept: "text/html" }), 406, "not_acceptable"],
];

describe("POST /api/chat input validation", () => {
  it.each(badInputs)("rejects %s with a JSON 4xx", async (_name, request, status, code) => {
    const response = await POST(request);
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    const body = (await response.json()) as ErrorBody;
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(0);
  });

  it("rejects bad input in stream mode with JSON too, before any stream starts", async () => {
    const response = await POST(chatRequest(JSON.stringify({ message: "" }), { accept: "text/event-stream" }));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invalid_body");
  });
});
