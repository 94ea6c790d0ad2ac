import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// `npm run eval:model` exits 2 on bad flags and on missing or malformed data, before any model
// loads, so this runs in the unit tier.

const dir = mkdtempSync(path.join(os.tmpdir(), "eval-model-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runCli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ["--import", "tsx", "scripts/eval-model.ts", ...args], {
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, TRACING: "off", ...env },
  });
}

describe("npm run eval:model exit codes", () => {
  it("exits 2 on an unknown benchmark, a bad number, an unknown flag, a non-local --model", { timeout: 120_000 }, () => {
    const cases: Array<[string[], RegExp]> = [
      [["--bench", "mmlu,squad"], /--bench/],
      [["--limit", "0"], /--limit/],
      [["--frobnicate", "1"], /frobnicate/],
      [["--provider", "local", "--model", "gpt-4o"], /not a local model/],
    ];
    for (const [args, message] of cases) {
      const out = runCli(args);
      expect(out.status, out.stderr).toBe(2);
      expect(out.stderr).toMatch(message);
    }
  });

  it("exits 2 naming the missing or malformed benchmark file", { timeout: 120_000 }, () => {
    const missing = runCli(["--bench", "gsm8k", "--provider", "local"], { BENCH_DATA_DIR: path.join(dir, "nowhere") });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("benchmark_missing");
    expect(missing.stderr).toContain(path.join(dir, "nowhere", "gsm8k", "test.jsonl"));

    mkdirSync(path.join(dir, "gsm8k"), { recursive: true });
    writeFileSync(path.join(dir, "gsm8k", "test.jsonl"), '{"question": "q"}\n');
    const malformed = runCli(["--bench", "gsm8k", "--provider", "local"], { BENCH_DATA_DIR: dir });
    expect(malformed.status).toBe(2);
    expect(malformed.stderr).toContain("benchmark_invalid");
    expect(malformed.stderr).toContain(`${path.join(dir, "gsm8k", "test.jsonl")}:1`);
  });
});
