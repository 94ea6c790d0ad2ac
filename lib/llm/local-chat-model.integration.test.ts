import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { type AIMessageChunk, HumanMessage, SystemMessage } from "@langchain/core/messages";
import type { LLMResult } from "@langchain/core/outputs";
import { loadConfig } from "../config";
import { LocalChatModel } from "./local-chat-model";
import { disposeLocalRuntimes } from "./local-runtime";
import { contentText } from "./messages";
import { localModelPath } from "./provider";

// The real GGUF chat model (LOCAL_CHAT_MODEL, default from config); needs `npm run models`.
const config = loadConfig();
const llm = config.llm;

function makeModel(overrides: { maxTokens?: number; parallelSequences?: number } = {}): LocalChatModel {
  return new LocalChatModel({
    modelPath: localModelPath(llm, config.models.dir),
    modelName: llm.local.model,
    contextSize: Math.min(llm.local.contextSize, 2048),
    threads: llm.local.threads,
    temperature: 0,
    seed: 42,
    maxTokens: overrides.maxTokens ?? 48,
    parallelSequences: overrides.parallelSequences ?? 1,
  });
}

class Recorder extends BaseCallbackHandler {
  name = "recorder";
  tokens: string[] = [];
  ends: LLMResult[] = [];
  override handleLLMNewToken(token: string) {
    this.tokens.push(token);
  }
  override handleLLMEnd(output: LLMResult) {
    this.ends.push(output);
  }
}

describe(`LocalChatModel (${llm.local.model})`, () => {
  const model = makeModel();

  beforeAll(async () => {
    await model.load();
  });
  afterAll(async () => {
    await disposeLocalRuntimes();
  });

  it("loads the model once per process", async () => {
    const again = makeModel();
    const [a, b] = await Promise.all([model.load(), again.load()]);
    expect(a).toBe(b);
    expect(a.model).toBe(b.model);
  });

  it("streams several chunks whose concatenation is the final text, with callbacks and usage", async () => {
    const recorder = new Recorder();
    const chunks: AIMessageChunk[] = [];
    const stream = await model.stream([new SystemMessage("You are a helpful assistant."), new HumanMessage("Name three colors.")], {
      callbacks: [recorder],
    });
    for await (const chunk of stream) chunks.push(chunk);
    const textChunks = chunks.filter((c) => c.content !== "");
    expect(textChunks.length).toBeGreaterThan(2);
    const merged = chunks.reduce((a, b) => a.concat(b));
    const text = chunks.map((c) => contentText(c.content)).join("");
    expect(text.length).toBeGreaterThan(0);
    expect(merged.content).toBe(text);
    expect(recorder.tokens.join("")).toBe(text);
    expect(merged.usage_metadata?.input_tokens).toBeGreaterThan(0);
    expect(merged.usage_metadata?.output_tokens).toBeGreaterThan(0);
    expect(merged.usage_metadata?.total_tokens).toBe(
      (merged.usage_metadata?.input_tokens ?? 0) + (merged.usage_metadata?.output_tokens ?? 0),
    );

    // invoke gives the same text (greedy decoding) and llmOutput.tokenUsage
    const invoked = await model.invoke([new SystemMessage("You are a helpful assistant."), new HumanMessage("Name three colors.")], {
      callbacks: [recorder],
    });
    expect(invoked.content).toBe(text);
    expect(recorder.ends.at(-1)?.llmOutput?.tokenUsage).toEqual({
      promptTokens: invoked.usage_metadata?.input_tokens,
      completionTokens: invoked.usage_metadata?.output_tokens,
      totalTokens: invoked.usage_metadata?.total_tokens,
    });
  });

  it("counts more input tokens for a longer prompt", async () => {
    const short = await model.invoke("Say hi.", { maxTokens: 4 });
    const long = await model.invoke(
      `Context: ${"ACME Corp sells anvils, rockets and giant magnets to coyotes across the desert. ".repeat(8)}\nSay hi.`,
      { maxTokens: 4 },
    );
    expect(short.usage_metadata?.input_tokens).toBeGreaterThan(0);
    expect(long.usage_metadata?.input_tokens ?? 0).toBeGreaterThan((short.usage_metadata?.input_tokens ?? 0) + 50);
    expect(short.usage_metadata?.output_tokens).toBeLessThanOrEqual(4);
  });

  it("returns structured output that passes the zod schema", async () => {
    const Route = z.object({
      route: z.enum(["knowledge_base", "sales_db", "calculator"]),
      confidence: z.number().min(0).max(1),
    });
    const router = model.withStructuredOutput(Route, { name: "route" });
    for (const question of ["What were total sales in March 2024?", "What is 17 * 23?", "What is the refund policy?"]) {
      const decision = await router.invoke([
        new SystemMessage(
          "Pick the tool for the question. knowledge_base: company documents and policies. sales_db: sales figures. calculator: arithmetic. Reply in JSON.",
        ),
        new HumanMessage(question),
      ]);
      expect(Route.safeParse(decision).success).toBe(true);
    }
  });

  it("stops promptly when aborted", async () => {
    const longModel = makeModel({ maxTokens: 400 });
    const controller = new AbortController();
    let tokens = 0;
    let abortedAt = 0;
    const run = (async () => {
      const stream = await longModel.stream("Write a very long story about a dragon who learns to cook.", {
        signal: controller.signal,
      });
      for await (const chunk of stream) {
        if (chunk.content !== "") tokens += 1;
        if (tokens === 3) {
          abortedAt = performance.now();
          controller.abort();
        }
      }
    })();
    await expect(run).rejects.toThrow();
    const stoppedAfterMs = performance.now() - abortedAt;
    expect(abortedAt).toBeGreaterThan(0);
    expect(stoppedAfterMs).toBeLessThan(2000);
    expect(tokens).toBeLessThan(20);
    // the model is still usable afterwards (its sequence was released)
    const after = await model.invoke("Say hi.", { maxTokens: 4 });
    expect(after.usage_metadata?.output_tokens).toBeGreaterThan(0);
  });

  it("stops generating when the consumer breaks out of the stream", async () => {
    const longModel = makeModel({ maxTokens: 400 });
    let seen = 0;
    for await (const chunk of await longModel.stream("Write a very long story about a dragon who learns to cook.")) {
      if (chunk.content !== "") seen += 1;
      if (seen === 3) break;
    }
    const started = performance.now();
    const after = await model.invoke("Say hi.", { maxTokens: 4 });
    expect(after.usage_metadata?.output_tokens).toBeGreaterThan(0);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it("decodes two generations at once with two sequences, one after the other with one", async () => {
    // Each stream records when its first and last chunk arrived; overlap means batched decoding.
    const spans = async (sequences: number) => {
      const batched = makeModel({ maxTokens: 24, parallelSequences: sequences });
      const one = async (prompt: string) => {
        let first = 0;
        for await (const chunk of await batched.stream(prompt)) if (first === 0 && chunk.content !== "") first = performance.now();
        return { first, last: performance.now() };
      };
      const [a, b] = await Promise.all([one("Count from one to twenty."), one("Name twenty animals.")]);
      const [early, late] = a.first <= b.first ? [a, b] : [b, a];
      return { overlapped: late.first < early.last };
    };
    expect((await spans(2)).overlapped).toBe(true);
    expect((await spans(1)).overlapped).toBe(false);
  });
});
