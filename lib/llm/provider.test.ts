import path from "node:path";
import { describe, expect, it } from "vitest";
import { ChatOpenAI } from "@langchain/openai";
import { loadConfig } from "../config";
import { LocalChatModel } from "./local-chat-model";
import { PLACEHOLDER_API_KEY } from "./openai-chat-model";
import { createChatModel, describeModel, localModelPath } from "./provider";
import { ScriptedChatModel } from "./scripted-chat-model";

const cwd = "/tmp/app";

describe("createChatModel", () => {
  it("uses the local GGUF model when no key or base URL is set", () => {
    const config = loadConfig({ LOCAL_CHAT_MODEL: "smollm2-135m", LOCAL_CONTEXT_SIZE: "2048" }, cwd);
    const model = createChatModel(config.llm, config.models.dir);
    expect(model).toBeInstanceOf(LocalChatModel);
    const local = model as LocalChatModel;
    expect(local.modelPath).toBe(path.join(cwd, "models", "gguf", "SmolLM2-135M-Instruct.Q4_1.gguf"));
    expect(local.modelName).toBe("smollm2-135m");
    expect(local.contextSize).toBe(2048);
    expect(local.parallelSequences).toBe(1);
    expect(describeModel(config.llm)).toEqual({ provider: "llama.cpp", modelName: "smollm2-135m" });
  });

  it("gives the local model LOCAL_SEQUENCES parallel sequences", () => {
    const config = loadConfig({ LOCAL_SEQUENCES: "3" }, cwd);
    expect((createChatModel(config.llm, config.models.dir) as LocalChatModel).parallelSequences).toBe(3);
    expect(() => loadConfig({ LOCAL_SEQUENCES: "0" }, cwd)).toThrow(/LOCAL_SEQUENCES/);
  });

  it("honours LOCAL_MODEL_PATH", () => {
    const config = loadConfig({ LOCAL_MODEL_PATH: "elsewhere/model.gguf" }, cwd);
    expect(localModelPath(config.llm, config.models.dir)).toBe(path.join(cwd, "elsewhere/model.gguf"));
  });

  it("reports a missing model file as model_missing, telling the user to run npm run models", async () => {
    const config = loadConfig({ LLM_PROVIDER: "local", MODELS_DIR: "/nonexistent/models" }, cwd);
    const model = createChatModel(config.llm, config.models.dir);
    await expect(model.invoke("hi")).rejects.toMatchObject({ code: "model_missing", message: expect.stringContaining("npm run models") });
  });

  it("uses ChatOpenAI with an API key", () => {
    const config = loadConfig({ OPENAI_API_KEY: "sk-test", OPENAI_MODEL: "gpt-4o-mini", LLM_MAX_TOKENS: "200" }, cwd);
    const model = createChatModel(config.llm, config.models.dir);
    expect(model).toBeInstanceOf(ChatOpenAI);
    const openai = model as ChatOpenAI;
    expect(openai.model).toBe("gpt-4o-mini");
    expect(openai.maxTokens).toBe(200);
    expect(openai.streamUsage).toBe(true);
    expect(describeModel(config.llm)).toEqual({ provider: "openai", modelName: "gpt-4o-mini" });
  });

  it("uses ChatOpenAI against a base URL with a placeholder key when none is set", () => {
    const config = loadConfig({ OPENAI_BASE_URL: "http://localhost:11434/v1", OPENAI_MODEL: "llama3.2" }, cwd);
    const model = createChatModel(config.llm, config.models.dir) as ChatOpenAI;
    expect(model).toBeInstanceOf(ChatOpenAI);
    expect(model.apiKey).toBe(PLACEHOLDER_API_KEY);
    expect(model.clientConfig.baseURL).toBe("http://localhost:11434/v1");
  });

  it("refuses the scripted model outside tests", () => {
    expect(() => loadConfig({ LLM_PROVIDER: "scripted", NODE_ENV: "production" }, cwd)).toThrow(/test stand-in/);
    expect(() => loadConfig({ LLM_PROVIDER: "scripted" }, cwd)).toThrow(/NODE_ENV=test/);
  });

  it("uses the scripted model when asked (tests only)", async () => {
    const config = loadConfig({ LLM_PROVIDER: "scripted", NODE_ENV: "test" }, cwd);
    const model = createChatModel(config.llm, config.models.dir, { script: ["scripted reply"] });
    expect(model).toBeInstanceOf(ScriptedChatModel);
    expect((await model.invoke("hi")).content).toBe("scripted reply");
    expect(describeModel(config.llm)).toEqual({ provider: "scripted", modelName: "scripted" });
    const echo = createChatModel(config.llm, config.models.dir);
    expect((await echo.invoke("echo me")).content).toBe("echo me");
  });
});

describe("resolveThreads", () => {
  it("keeps an explicit thread count and leaves a core free when automatic", async () => {
    const { resolveThreads } = await import("./local-runtime");
    expect(resolveThreads(3, 16)).toBe(3);
    expect(resolveThreads(0, 2)).toBe(1);
    expect(resolveThreads(0, 1)).toBe(1);
    expect(resolveThreads(0, 6)).toBe(5);
    expect(resolveThreads(0, 64)).toBe(8);
  });
});
