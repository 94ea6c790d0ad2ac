import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A fast OpenAI-compatible chat server on 127.0.0.1 for tests that need many turns of the
 * production server in little time: it answers every chat completion at once with a short
 * reply (plain or streamed, with a final usage chunk), calls no tool, and counts prompt tokens
 * from what it was sent (about four characters a token), so a longer prompt costs more tokens as
 * with a real model.
 */

export interface CountingStub {
  /** What OPENAI_BASE_URL is set to. */
  baseURL: string;
  stop(): Promise<void>;
}

const REPLY = "Here is what the documents say.";

function promptTokens(body: unknown): number {
  const messages = (body as { messages?: { content?: unknown }[] }).messages ?? [];
  const chars = messages.reduce(
    (sum, m) => sum + (typeof m.content === "string" ? m.content.length : JSON.stringify(m.content ?? "").length),
    0,
  );
  return Math.max(1, Math.ceil(chars / 4));
}

function answer(body: { stream?: boolean; model?: string }, response: http.ServerResponse, prompt: number): void {
  const usage = { prompt_tokens: prompt, completion_tokens: 7, total_tokens: prompt + 7 };
  const head = { id: "chatcmpl-stub", created: Math.floor(Date.now() / 1000), model: body.model ?? "stub" };
  if (!body.stream) {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(
      JSON.stringify({
        ...head,
        object: "chat.completion",
        choices: [{ index: 0, message: { role: "assistant", content: REPLY }, finish_reason: "stop" }],
        usage,
      }),
    );
    return;
  }
  response.writeHead(200, { "content-type": "text/event-stream" });
  const chunk = (payload: object) =>
    response.write(`data: ${JSON.stringify({ ...head, object: "chat.completion.chunk", ...payload })}\n\n`);
  chunk({ choices: [{ index: 0, delta: { role: "assistant", content: REPLY }, finish_reason: null }] });
  chunk({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] });
  chunk({ choices: [], usage });
  response.end("data: [DONE]\n\n");
}

export async function startCountingStub(): Promise<CountingStub> {
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => {
      let body: { stream?: boolean; model?: string } = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as typeof body;
      } catch {
        response.writeHead(400).end();
        return;
      }
      answer(body, response, promptTokens(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
