import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { createOpenAIChatModel } from "./openai-chat-model";

// The OpenAI-compatible client never has more than OPENAI_MAX_CONCURRENCY calls in flight,
// against a stub server on 127.0.0.1 that answers every chat completion after 150 ms with the
// same recorded reply and counts how many it holds at once.

let inFlight = 0;
let most = 0;
let server: http.Server;
let baseURL: string;

const reply = {
  id: "chatcmpl-stub",
  object: "chat.completion",
  created: 0,
  model: "stub",
  choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }],
  usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
};

beforeAll(async () => {
  server = http.createServer((req, res) => {
    inFlight++;
    most = Math.max(most, inFlight);
    req.resume();
    setTimeout(() => {
      inFlight--;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(reply));
    }, 150);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("the OpenAI-compatible provider's concurrency cap", () => {
  it("keeps at most OPENAI_MAX_CONCURRENCY calls in flight and answers them all", async () => {
    const config = loadConfig(
      { OPENAI_BASE_URL: baseURL, OPENAI_MODEL: "stub", OPENAI_MAX_CONCURRENCY: "2", OPENAI_MAX_RETRIES: "0" },
      "/tmp/app",
    );
    const model = createOpenAIChatModel(config.llm);
    const answers = await Promise.all(Array.from({ length: 6 }, () => model.invoke("hi")));
    expect(answers.map((a) => a.content)).toEqual(Array(6).fill("ok"));
    expect(most).toBe(2);
  });
});
