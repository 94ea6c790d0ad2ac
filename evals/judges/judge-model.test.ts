import { describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { LocalChatModel } from "@/lib/llm/local-chat-model";
import { createJudgeModel, describeJudge, hasApiJudge, JUDGE_MAX_TOKENS, judgeLlmConfig } from "./judge-model";

const local = loadConfig({}, "/repo");
const withKey = loadConfig({ OPENAI_API_KEY: "sk-test", OPENAI_MODEL: "gpt-4.1" }, "/repo");

describe("judge model config", () => {
  it("defaults to the app's chat model, greedy and with a short reply budget", () => {
    const llm = judgeLlmConfig(local);
    expect(llm.provider).toBe("local");
    expect(llm.local.model).toBe(local.llm.local.model);
    expect(llm.temperature).toBe(0);
    expect(llm.maxTokens).toBe(JUDGE_MAX_TOKENS);
    expect(createJudgeModel(local)).toBeInstanceOf(LocalChatModel);
    expect(describeJudge(withKey)).toEqual({ provider: "openai", modelName: "gpt-4.1" });
  });

  it("takes EVAL_JUDGE_* overrides: an API judge beside a local app model, and a local judge beside an API one", () => {
    const api = judgeLlmConfig(local, { apiKey: "sk-judge", model: "gpt-4o" });
    expect(api).toMatchObject({ provider: "openai", openai: { apiKey: "sk-judge", model: "gpt-4o" } });
    expect(judgeLlmConfig(local, { provider: "openai", baseURL: "http://localhost:11434/v1" }).openai).toMatchObject({
      model: "gpt-4o-mini",
      baseURL: "http://localhost:11434/v1",
    });
    expect(judgeLlmConfig(withKey, { provider: "local", model: "gemma-3-270m" })).toMatchObject({
      provider: "local",
      local: { model: "gemma-3-270m" },
    });
    expect(() => judgeLlmConfig(local, { provider: "local", model: "gpt-4o" })).toThrow(
      expect.objectContaining({ code: "config_invalid" }),
    );
  });

  it("knows when an API judge can be called", () => {
    expect(hasApiJudge(local)).toBe(false);
    expect(hasApiJudge(local, { apiKey: "k" })).toBe(true);
    expect(hasApiJudge(withKey)).toBe(true);
  });

  it("follows EVAL_JUDGE_* from the environment by default", () => {
    const configured = loadConfig({ EVAL_JUDGE_PROVIDER: "openai", EVAL_JUDGE_API_KEY: "sk-judge", EVAL_JUDGE_MODEL: "gpt-4o" }, "/repo");
    expect(describeJudge(configured)).toEqual({ provider: "openai", modelName: "gpt-4o" });
    expect(describeJudge(local)).toEqual({ provider: "llama.cpp", modelName: local.llm.local.model });
  });
});
