import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { withFileLock } from "./file-lock";
import { runTsxScript } from "@/test-support/process/run-tsx-script";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "file-lock-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("withFileLock", () => {
  it("serialises two real processes' read-modify-write cycles: no update is lost", async () => {
    const counter = path.join(dir, "counter");
    const runs = await Promise.all([1, 2].map(() => runTsxScript("test-support/fs/locked-counter.ts", [counter, "25"])));
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    expect(fs.readFileSync(counter, "utf8")).toBe("50");
    expect(fs.existsSync(`${counter}.lock`)).toBe(false);
  }, 60_000);

  it("refuses at once with resource_busy while another holder has it, and frees it after a failure", async () => {
    const target = path.join(dir, "index");
    let inside: () => void = () => undefined;
    const held = withFileLock(target, () => new Promise<void>((resolve) => (inside = resolve)), { what: "the index", waitMs: 0 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second: unknown = await withFileLock(target, () => "ran", { what: "the index", waitMs: 0 }).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(AppError);
    expect(second).toMatchObject({ code: "resource_busy", message: expect.stringContaining("the index is in use") as string });
    inside();
    await held;

    await expect(withFileLock(target, () => Promise.reject(new Error("boom")), { what: "the index", waitMs: 0 })).rejects.toThrow("boom");
    expect(await withFileLock(target, () => "ran", { what: "the index", waitMs: 0 })).toBe("ran");
  });
});
