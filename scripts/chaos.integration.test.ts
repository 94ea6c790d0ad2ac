import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { runTsxScript } from "@/test-support/process/run-tsx-script";

// `npm run chaos -- --short` against the production build, as CI runs it: every scenario must
// hold, and the report must carry the figures the checks rest on (no 5xx from the fuzzer, an
// intact trace log after kill -9, nothing half-written left behind).

const workDir = mkdtempSync(path.join(os.tmpdir(), "rag-chaos-test-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const counts = z.record(z.string(), z.number());
const reportSchema = z.object({
  ok: z.boolean(),
  scenarios: z.object({
    sessions: z.object({
      ok: z.boolean(),
      figures: z.object({ answered: z.number(), refusedWithoutRetryAfter: z.number(), overDeadline: z.number() }),
    }),
    overload: z.object({
      ok: z.boolean(),
      figures: z.object({ refused: z.number(), refusedWithoutRetryAfter: z.number(), overDeadline: z.number() }),
    }),
    disconnect: z.object({ ok: z.boolean(), figures: z.object({ loadZeroAfterMs: z.number().nullable(), healthAfter: z.number() }) }),
    fuzz: z.object({ ok: z.boolean(), figures: z.object({ requests: z.number(), statuses: counts }) }),
    phoenix: z.object({ ok: z.boolean() }),
    kill9: z.object({ ok: z.boolean(), figures: z.object({ integrity: z.string(), tempFiles: z.number(), inFlightAtKill: z.number() }) }),
    "full-disk": z.object({ ok: z.boolean(), figures: z.object({ logWrites: z.object({ dropped: z.number() }).nullable() }) }),
    sandbox: z.object({ ok: z.boolean(), figures: z.object({ stoppedBySandbox: z.number() }) }),
  }),
});

describe("npm run chaos -- --short", () => {
  it("holds every check, and the report says why", async () => {
    if (!existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) {
      throw new Error(
        "No production build (.next/BUILD_ID): run `npm run build` first (`npm test` builds it before the integration tier).",
      );
    }
    const file = path.join(workDir, "report.json");
    const run = await runTsxScript("scripts/chaos.ts", ["--short", "--json", file]);
    const output = `${run.stdout}\n${run.stderr}`.slice(-6000);
    expect(existsSync(file), output).toBe(true);
    const report = reportSchema.parse(JSON.parse(readFileSync(file, "utf8")));
    const { fuzz, kill9, sessions, overload, disconnect } = report.scenarios;

    expect(fuzz.figures.requests).toBeGreaterThanOrEqual(1_000);
    expect(
      Object.keys(fuzz.figures.statuses).filter((status) => !/^[1-4]\d\d$/.test(status)),
      output,
    ).toEqual([]);
    expect(kill9.figures).toMatchObject({ integrity: "ok", tempFiles: 0 });
    expect(kill9.figures.inFlightAtKill).toBeGreaterThan(0);
    expect(sessions.figures.answered).toBeGreaterThan(0);
    expect([sessions.figures.refusedWithoutRetryAfter, sessions.figures.overDeadline]).toEqual([0, 0]);
    expect([overload.figures.refusedWithoutRetryAfter, overload.figures.overDeadline]).toEqual([0, 0]);
    expect(overload.figures.refused).toBeGreaterThan(0);
    expect(disconnect.figures.loadZeroAfterMs).not.toBeNull();
    expect(report.scenarios["full-disk"].figures.logWrites?.dropped).toBeGreaterThan(0);
    expect(report.scenarios.sandbox.figures.stoppedBySandbox).toBeGreaterThan(0);
    expect(run.code, output).toBe(0);
    expect(report.ok).toBe(true);
  }, 900_000);
});
