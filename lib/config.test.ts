import { describe, expect, it } from "vitest";
import { loadConfig } from "./config";
import { AppError } from "./errors";

describe("loadConfig", () => {
  it("defaults to the local model and repo-relative paths", () => {
    const config = loadConfig({}, "/repo");
    expect(config.llm.provider).toBe("local");
    expect(config.llm.local.model).toBe("smollm2-135m");
    expect(config.models.dir).toBe("/repo/models");
    expect(config.indexDir).toBe("/repo/.data/index");
    expect(config.chunking).toEqual({ size: 800, overlap: 120 });
  });

  it("switches to openai when a key or a base URL is set, with no code change", () => {
    expect(loadConfig({ OPENAI_API_KEY: "sk-test" }).llm.provider).toBe("openai");
    const ollama = loadConfig({ OPENAI_BASE_URL: "http://127.0.0.1:11434/v1", OPENAI_MODEL: "llama3.2" });
    expect(ollama.llm.provider).toBe("openai");
    expect(ollama.llm.openai).toMatchObject({ baseURL: "http://127.0.0.1:11434/v1", model: "llama3.2" });
  });

  it("lets LLM_PROVIDER override the inference", () => {
    expect(loadConfig({ OPENAI_API_KEY: "sk-test", LLM_PROVIDER: "local" }).llm.provider).toBe("local");
  });

  it("treats empty variables as unset", () => {
    expect(loadConfig({ OPENAI_API_KEY: "", CHUNK_SIZE: "" }).llm.provider).toBe("local");
  });

  it("names every invalid variable in one error", () => {
    try {
      loadConfig({ CHUNK_SIZE: "lots", LLM_PROVIDER: "gpt", OPENAI_BASE_URL: "not a url" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      const message = (error as AppError).message;
      expect((error as AppError).code).toBe("config_invalid");
      for (const name of ["CHUNK_SIZE", "LLM_PROVIDER", "OPENAI_BASE_URL"]) expect(message).toContain(name);
    }
  });

  it("keeps review off without ADMIN_TOKEN and refuses a short one", () => {
    expect(loadConfig({}, "/repo").curation).toEqual({
      datasetsDir: "/repo/evals/datasets",
      reviewQueuePath: "/repo/.data/review-queue.jsonl",
      onlineEvalSample: 0.25,
    });
    expect(loadConfig({ ADMIN_TOKEN: "0123456789abcdef", ONLINE_EVAL_SAMPLE: "1" }).curation).toMatchObject({
      adminToken: "0123456789abcdef",
      onlineEvalSample: 1,
    });
    expect(() => loadConfig({ ADMIN_TOKEN: "short" })).toThrow(/ADMIN_TOKEN/);
    expect(() => loadConfig({ ONLINE_EVAL_SAMPLE: "1.5" })).toThrow(/ONLINE_EVAL_SAMPLE/);
  });

  it("makes LangChain await its callback handlers once the config is loaded (tracing nests spans on it)", () => {
    expect(process.env.LANGCHAIN_CALLBACKS_BACKGROUND).toBe("false");
  });

  it("rejects an overlap as large as the chunk", () => {
    expect(() => loadConfig({ CHUNK_SIZE: "200", CHUNK_OVERLAP: "200" })).toThrow(/CHUNK_OVERLAP/);
  });
});
