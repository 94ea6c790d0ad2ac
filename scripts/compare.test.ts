import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeSyntheticRequests } from "@/test-support/monitoring/synthetic-requests";
import { runTsxScript } from "@/test-support/process/run-tsx-script";
import { openTempTraceLog } from "@/test-support/trace-log/recorded-traces";

// `npm run compare` as a deploy pipeline runs it: exit 1 on the version with an injected
// regression, 0 on the one without, 2 on a side with no traffic; the HTML report where --out says.

const HOUR = 3_600_000;
const RULES = path.resolve("test-support/monitoring/compare-rules.yaml");

describe("npm run compare", { timeout: 120_000 }, () => {
  let temp: ReturnType<typeof openTempTraceLog>;
  let file: string;

  beforeAll(async () => {
    temp = openTempTraceLog();
    const start = Date.now() - 4 * HOUR;
    const version = (appVersion: string, offset: number, seed: number, factors = {}) =>
      writeSyntheticRequests(temp.log, { appVersion, count: 200, startMs: start + offset * HOUR, spacingMs: 12_000, seed, ...factors });
    await version("1.0.0", 0, 1);
    await version("1.1.0", 1, 2);
    await version("1.2.0", 2, 3, { latencyFactor: 2, tokenFactor: 1.5 });
    file = temp.log.file;
    temp.log.close();
  });
  afterAll(() => temp.remove());

  const compare = (before: string, after: string, out: string) =>
    runTsxScript("scripts/compare.ts", ["--before", before, "--after", after, "--rules", RULES, "--trace-log", file, "--out", out], {
      PHOENIX_EXPORT: "off",
    });

  it("exits 1 on the regressed version, naming the rules, and writes the HTML report", async () => {
    const out = path.join(temp.dir, "regressed.html");
    const result = await compare("app:1.1.0", "app:1.2.0", out);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/^REGRESSION: .*p95-latency.*prompt-tokens|^REGRESSION: .*prompt-tokens.*p95-latency/m);
    expect(result.stdout).toContain(`HTML report: ${out}`);
    expect(fs.readFileSync(out, "utf8")).toContain('<span class="verdict fail">REGRESSION</span>');
  });

  it("exits 0 between two versions that behave the same", async () => {
    const out = path.join(temp.dir, "same.html");
    const result = await compare("1.0.0", "1.1.0", out);
    expect(result.code, result.stderr + result.stdout).toBe(0);
    expect(result.stdout).toMatch(/^NO REGRESSION/m);
    expect(fs.readFileSync(out, "utf8")).toContain('<span class="verdict pass">NO REGRESSION</span>');
  });

  it("exits 2 when a side has no requests", async () => {
    const result = await compare("app:1.0.0", "app:9.9.9", path.join(temp.dir, "none.html"));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--after app 9.9.9: no requests");
  });
});
