import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { EvalRunResult } from "../runner/types";
import { makeEvalResult } from "@/test-support/evals/eval-run-result";
import { REPORT_FILES, writeReports } from "./write-reports";

describe("writeReports", () => {
  let tmp: string | undefined;
  afterEach(async () => {
    if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
  });

  it("writes the JSON, HTML and JUnit files into a new directory, leaving no temp files", async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "eval-report-"));
    const dir = path.join(tmp, "nested", "reports");
    const result = makeEvalResult();

    const written = await writeReports(result, dir);

    expect(written).toEqual({
      json: path.join(dir, REPORT_FILES.json),
      html: path.join(dir, REPORT_FILES.html),
      junit: path.join(dir, REPORT_FILES.junit),
    });
    expect((await readdir(dir)).sort()).toEqual(["eval-report.html", "eval-result.json", "junit.xml"]);
    expect(JSON.parse(await readFile(written.json, "utf8"))).toEqual(result);
    expect(await readFile(written.html, "utf8")).toMatch(/^<!DOCTYPE html>/);
    expect(await readFile(written.junit, "utf8")).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
  });

  it("replaces the previous run's files", async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "eval-report-"));
    const first = makeEvalResult();
    await writeReports(first, tmp);
    const second = { ...makeEvalResult(), runId: "second-run", passed: true };
    const written = await writeReports(second, tmp);
    expect((JSON.parse(await readFile(written.json, "utf8")) as EvalRunResult).runId).toBe("second-run");
    expect(await readFile(written.html, "utf8")).toContain("second-run");
    expect(await readdir(tmp)).toHaveLength(3);
  });
});
