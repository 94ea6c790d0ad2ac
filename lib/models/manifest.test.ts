import path from "node:path";
import { describe, expect, it } from "vitest";
import { LOCAL_CHAT_MODELS } from "../config";
import { isSha256 } from "./checksum";
import { MODEL_FILES, MODEL_NAMES, isModelName, pinnedHashes, selectFiles } from "./manifest";
import { chatModelPath, embeddingModelDir } from "./paths";

describe("model manifest", () => {
  it("has unique relative paths with forward slashes", () => {
    const paths = MODEL_FILES.map((f) => f.path);
    expect(new Set(paths).size).toBe(paths.length);
    for (const p of paths) {
      expect(p).not.toMatch(/\\|^\/|\.\./);
    }
  });

  it("matches the layout the loaders expect (paths.ts)", () => {
    const root = "/m";
    const abs = (p: string) => path.join(root, ...p.split("/"));
    const embedding = MODEL_FILES.filter((f) => f.model === "embedding").map((f) => abs(f.path));
    for (const name of ["config.json", "tokenizer.json", "tokenizer_config.json", "onnx/model_quantized.onnx"]) {
      expect(embedding).toContain(path.join(embeddingModelDir(root), ...name.split("/")));
    }
    for (const model of LOCAL_CHAT_MODELS) {
      expect(MODEL_FILES.filter((f) => f.model === model).map((f) => abs(f.path))).toEqual([chatModelPath(root, model)]);
    }
  });

  it("gives every file a PyPI fallback with well-formed pinned hashes", () => {
    for (const file of MODEL_FILES) {
      expect(file.pypi?.parts.length ?? 0).toBeGreaterThan(0);
      expect(file.pypi?.pinned.length ?? 0).toBeGreaterThan(0);
      for (const known of pinnedHashes(file)) {
        expect(isSha256(known.sha256)).toBe(true);
        expect(known.size).toBeGreaterThan(0);
      }
    }
  });

  it("pins the hub's small non-LFS files (the hub publishes no sha256 for them)", () => {
    for (const file of MODEL_FILES.filter((f) => f.path.endsWith(".json"))) {
      expect(file.hub?.pinned?.length ?? 0).toBeGreaterThan(0);
    }
  });

  it("keeps the verified hashes of the big files", () => {
    const byPath = Object.fromEntries(MODEL_FILES.map((f) => [f.path, pinnedHashes(f).map((h) => h.sha256)]));
    expect(byPath["all-MiniLM-L6-v2/onnx/model_quantized.onnx"]).toContain(
      "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6",
    );
    expect(byPath["gguf/gemma-3-270m-q4_k_m.gguf"]).toContain("a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818");
    expect(byPath["gguf/SmolLM2-135M-Instruct.Q4_1.gguf"]).toContain(
      "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
    );
  });

  it("concatenates the four gemma parts in order", () => {
    const gemma = MODEL_FILES.find((f) => f.model === "gemma-3-270m");
    expect(gemma?.pypi?.parts.map((p) => p.member.slice(-6))).toEqual(["part00", "part01", "part02", "part03"]);
  });

  it("selects files by model name", () => {
    expect(MODEL_NAMES).toEqual(["embedding", "gemma-3-270m", "smollm2-135m"]);
    expect(isModelName("embedding")).toBe(true);
    expect(isModelName("gpt-4")).toBe(false);
    expect(selectFiles().length).toBe(MODEL_FILES.length);
    expect(selectFiles([]).length).toBe(MODEL_FILES.length);
    expect(new Set(selectFiles(["embedding", "gemma-3-270m"]).map((f) => f.model))).toEqual(
      new Set(["embedding", "gemma-3-270m"]),
    );
  });
});
