import { describe, expect, it } from "vitest";
import { z } from "zod";
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { type AIMessageChunk, HumanMessage, SystemMessage } from "@langchain/core/messages";
import type { LLMResult } from "@langchain/core/outputs";
import { AppError } from "../errors";
import { contentText } from "./messages";
import { ScriptedChatModel, whitespaceTokens } from "./scripted-chat-model";

class RecordingHandler extends BaseCallbackHandler {
  name = "recording";
  tokens: string[] = [];
  ends: LLMResult[] = [];
  errors: unknown[] = [];
  override handleLLMNewToken(token: string) {
    this.tokens.push(token);
  }
  override handleLLMEnd(output: LLMResult) {
    this.ends.push(output);
  }
  override handleLLMError(error: unknown) {
    this.errors.push(error);
  }
}

describe("whitespaceTokens", () => {
  it("splits into tokens that concatenate back to the text", () => {
    for (const text of ["a b  c", " leading", "trailing ", "", "one\nline\ttwo"]) {
      expect(whitespaceTokens(text).join("")).toBe(text);
    }
    expect(whitespaceTokens("a b  c")).toEqual(["a", " b", "  c"]);
  });
});

describe("ScriptedChatModel", () => {
  it("replies from a list in order and fails loudly when the script runs out", async () => {
    const model = new ScriptedChatModel({ script: ["first", "second"] });
    expect((await model.invoke("hi")).content).toBe("first");
    expect((await model.invoke("again")).content).toBe("second");
    await expect(model.invoke("third")).rejects.toThrow(/script has 2 replies/);
    expect(model.calls.map((c) => c.reply)).toEqual(["first", "second"]);
  });

  it("replies from a function of the prompt", async () => {
    const model = new ScriptedChatModel({ script: ({ prompt, callIndex }) => `#${callIndex}: ${prompt.toUpperCase()}` });
    const reply = await model.invoke([new SystemMessage("be loud"), new HumanMessage("hello there")]);
    expect(reply.content).toBe("#0: HELLO THERE");
  });

  it("streams token by token, reports usage and calls handleLLMNewToken", async () => {
    const model = new ScriptedChatModel({ script: ["The answer is 42 [1]."] });
    const handler = new RecordingHandler();
    const chunks: AIMessageChunk[] = [];
    for await (const chunk of await model.stream([new HumanMessage("what is the answer?")], { callbacks: [handler] })) {
      chunks.push(chunk);
    }
    const text = chunks.map((c) => contentText(c.content)).join("");
    expect(text).toBe("The answer is 42 [1].");
    expect(chunks.filter((c) => c.content !== "").length).toBe(5);
    expect(handler.tokens.join("")).toBe(text);
    const merged = chunks.reduce((a, b) => a.concat(b));
    expect(merged.usage_metadata).toMatchObject({ input_tokens: 4, output_tokens: 5, total_tokens: 9 });
  });

  it("invoke returns usage_metadata and llmOutput.tokenUsage", async () => {
    const model = new ScriptedChatModel({ script: ["one two three"] });
    const handler = new RecordingHandler();
    const reply = await model.invoke("a b", { callbacks: [handler] });
    expect(reply.usage_metadata).toMatchObject({ input_tokens: 2, output_tokens: 3, total_tokens: 5 });
    expect(handler.ends[0]?.llmOutput?.tokenUsage).toEqual({ promptTokens: 2, completionTokens: 3, totalTokens: 5 });
  });

  it("throws mid-stream when told to, after streaming some tokens", async () => {
    const model = new ScriptedChatModel({ script: [{ text: "a b c d e", failAfterTokens: 2 }] });
    const handler = new RecordingHandler();
    const seen: string[] = [];
    await expect(async () => {
      for await (const chunk of await model.stream("go", { callbacks: [handler] })) seen.push(contentText(chunk.content));
    }).rejects.toMatchObject({ code: "llm_failed" });
    expect(seen).toEqual(["a", " b"]);
    expect(handler.errors).toHaveLength(1);
  });

  it("throws a custom error mid-stream", async () => {
    const model = new ScriptedChatModel({ script: [{ text: "x y", failAfterTokens: 0, error: new Error("boom") }] });
    await expect(model.invoke("go")).rejects.toThrow("boom");
  });

  it("honours an abort signal between tokens", async () => {
    const model = new ScriptedChatModel({ script: ["w ".repeat(200)], tokenDelayMs: 5 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const started = Date.now();
    await expect(model.invoke("go", { signal: controller.signal })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(500);
  });

  describe("withStructuredOutput", () => {
    const Route = z.object({ route: z.enum(["knowledge_base", "sales_db"]), confidence: z.number().min(0).max(1) });

    it("returns the parsed, validated object and passes the schema to the model", async () => {
      const model = new ScriptedChatModel({ script: [{ json: { route: "sales_db", confidence: 0.9 } }] });
      const result = await model.withStructuredOutput(Route, { name: "route" }).invoke("sales in March?");
      expect(result).toEqual({ route: "sales_db", confidence: 0.9 });
      expect(model.calls[0]?.structuredOutput?.name).toBe("route");
      expect(model.calls[0]?.structuredOutput?.schema).toMatchObject({ type: "object", required: ["route", "confidence"] });
    });

    it("rejects output that does not match the schema", async () => {
      const model = new ScriptedChatModel({ script: [{ json: { route: "weather", confidence: 2 } }] });
      await expect(model.withStructuredOutput(Route).invoke("?")).rejects.toMatchObject({ code: "llm_failed" });
    });

    it("rejects text that is not JSON", async () => {
      const model = new ScriptedChatModel({ script: ["not json"] });
      await expect(model.withStructuredOutput(Route).invoke("?")).rejects.toBeInstanceOf(AppError);
    });

    it("can include the raw message", async () => {
      const model = new ScriptedChatModel({ script: [{ json: { route: "knowledge_base", confidence: 0.5 } }] });
      const result = await model.withStructuredOutput(Route, { includeRaw: true }).invoke("?");
      expect(result.parsed).toEqual({ route: "knowledge_base", confidence: 0.5 });
      expect(result.raw.content).toBe('{"route":"knowledge_base","confidence":0.5}');
    });
  });
});
