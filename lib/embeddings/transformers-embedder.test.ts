import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { EMBEDDING_MODEL_NAME, TransformersEmbedder, getEmbedder } from "./transformers-embedder";

describe("TransformersEmbedder (no model needed)", () => {
  it("reports a missing model with the command that fixes it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "no-models-"));
    try {
      const embedder = new TransformersEmbedder({ modelsDir: dir });
      expect(() => embedder.assertModelPresent()).toThrow(expect.objectContaining({ code: "model_missing" }));
      await expect(embedder.embedQuery("hello")).rejects.toMatchObject({
        code: "model_missing",
        message: expect.stringContaining("npm run models"),
      });
      expect(await embedder.embedDocuments([])).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is a per-process singleton and names its model", () => {
    const config = loadConfig({ MODELS_DIR: "/tmp/some-models" });
    const a = getEmbedder(config);
    expect(getEmbedder(loadConfig({ MODELS_DIR: "/tmp/some-models" }))).toBe(a);
    expect(a.modelName).toBe(EMBEDDING_MODEL_NAME);
    expect(a.dimensions).toBe(384);
    expect(a.maxTokens).toBe(256);
  });
});
