import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

// The eval CLI's exit code 2: the run itself broke. A bad dataset stops it before any model
// loads, so this runs in the unit tier.

const dir = mkdtempSync(path.join(os.tmpdir(), "eval-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runEval(args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "scripts/eval.ts", ...args], { encoding: "utf8", timeout: 60_000 });
}

const good = {
  id: "ok-1",
  input: { message: "How many days do I have to return a product?" },
  expected: { route: "knowledge_base_search" },
  tags: ["routing"],
  source: "manual",
  createdAt: "2026-11-01T00:00:00.000Z",
  reviewed: true,
};

describe("npm run eval exit codes", () => {
  it("exits 2 naming the file and line of a malformed dataset line, and runs nothing", { timeout: 90_000 }, () => {
    writeFileSync(
      path.join(dir, "broken.jsonl"),
      `${JSON.stringify(good)}\n${JSON.stringify({ ...good, id: "bad-2", source: "somewhere" })}\n`,
    );
    const out = runEval(["--datasets", dir, "--dataset", "broken", "--out", path.join(dir, "reports")]);
    expect(out.status).toBe(2);
    expect(out.stderr).toContain(`${path.join(dir, "broken.jsonl")}:2:`);
    expect(out.stderr).toContain("source");
    expect(out.stdout).not.toContain("Eval run");
  });

  it("exits 2 on invalid JSON and on an unknown dataset", { timeout: 120_000 }, () => {
    writeFileSync(path.join(dir, "notjson.jsonl"), `${JSON.stringify(good)}\n{"id": "x",\n`);
    const invalid = runEval(["--datasets", dir, "--dataset", "notjson"]);
    expect(invalid.status).toBe(2);
    expect(invalid.stderr).toContain("notjson.jsonl:2: invalid JSON");
    const unknown = runEval(["--datasets", dir, "--dataset", "nope"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("No dataset nope");
  });
});
