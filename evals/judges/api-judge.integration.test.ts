import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config";
import { ensureLlamaServerVenv, startLlamaServer, type RunningLlamaServer } from "@/lib/llm/llama-server";
import { localModelPath } from "@/lib/llm/provider";
import { freePort } from "@/test-support/process/free-port";
import { runTsxScript } from "@/test-support/process/run-tsx-script";
import { qualificationFileSchema } from "./qualification";

// The API judge path (EVAL_JUDGE_PROVIDER=openai), run for real: llama.cpp's OpenAI-compatible
// server on 127.0.0.1 serving the local SmolLM2, qualified by the same command as any judge.

const dir = mkdtempSync(path.join(os.tmpdir(), "api-judge-"));
let server: RunningLlamaServer;

beforeAll(async () => {
  const root = process.cwd();
  await ensureLlamaServerVenv({ root, onProgress: (line) => console.log(`[llm-server venv] ${line}`) });
  const config = getConfig();
  const llm = { ...config.llm, provider: "local" as const };
  server = await startLlamaServer({
    root,
    modelPath: localModelPath(llm, config.models.dir),
    alias: "smollm2-135m",
    host: "127.0.0.1",
    port: await freePort(),
    threads: 1,
    contextSize: 2048,
  });
}, 600_000);

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("an API judge behind an OpenAI-compatible server", () => {
  it("is measured and qualified by npm run eval:judges like the local one", async () => {
    const qualification = path.join(dir, "qualification.json");
    const out = await runTsxScript(
      "scripts/eval-judges.ts",
      [
        "--split",
        "test",
        "--judge",
        "openai",
        "--task",
        "toxicity",
        // Made-up rows in the benchmark's format: the test needs no public data (a fresh clone has none).
        "--file",
        "evals/judges/fixtures/toxicity.csv",
        "--limit",
        "6",
        "--out",
        path.join(dir, "judges.json"),
        "--qualification",
        qualification,
      ],
      {
        EVAL_JUDGE_PROVIDER: "openai",
        EVAL_JUDGE_BASE_URL: server.baseURL,
        EVAL_JUDGE_MODEL: "smollm2-135m",
        // llama-cpp-python's server takes a forced tool call, not a json_schema response format.
        OPENAI_STRUCTURED_OUTPUT: "function_calling",
      },
    );
    expect(out.code, out.stdout + out.stderr).toBe(0);
    const { judges } = qualificationFileSchema.parse(JSON.parse(readFileSync(qualification, "utf8")));
    expect(judges).toEqual([
      expect.objectContaining({ judge: "toxicity.judge", kind: "LLM", model: "openai/smollm2-135m", split: "test", n: 6 }),
    ]);
  });
});
