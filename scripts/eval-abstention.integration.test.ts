import { describe, expect, it } from "vitest";
import { runTsxScript } from "@/test-support/process/run-tsx-script";

// `npm run eval:abstention` on the real index and embedding model: the knowledge base's decision
// to decline, on the test split (cut-offs were chosen on dev). A regression gate as well as a
// test of the command: recall and false abstentions are the published goals (issue 16).

/** Declined unanswerable and declined answerable questions, from the table's "all" row. */
function allRow(stdout: string): { caught: number; unanswerable: number; wrong: number; answerable: number } {
  const match = /^\| all \| \| (\d+)\/(\d+) .*\| (\d+)\/(\d+) /m.exec(stdout);
  if (!match) throw new Error(`no "all" row in:\n${stdout}`);
  const [caught, unanswerable, wrong, answerable] = match.slice(1).map(Number) as [number, number, number, number];
  return { caught, unanswerable, wrong, answerable };
}

describe("npm run eval:abstention", () => {
  it("declines at least 80 % of the unanswerable test questions with at most 5 % false abstentions", async () => {
    const result = await runTsxScript("scripts/eval-abstention.ts", ["--split", "test", "--min-recall", "0.8", "--max-false", "0.05"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const row = allRow(result.stdout);
    expect(row.unanswerable).toBeGreaterThanOrEqual(30);
    expect(row.answerable).toBeGreaterThanOrEqual(60);
    expect(result.stdout).toMatch(/\| probes \| test \|/);
    expect(result.stdout).toMatch(/\| manual \| test \|/);
  }, 120_000);

  it("owes part of that to the unmentioned-subject signal: without it fewer are declined", async () => {
    const [withSignal, without] = await Promise.all([
      runTsxScript("scripts/eval-abstention.ts", ["--split", "test"]),
      runTsxScript("scripts/eval-abstention.ts", ["--split", "test", "--without-subjects"]),
    ]);
    expect(allRow(without.stdout).caught).toBeLessThan(allRow(withSignal.stdout).caught);
  }, 180_000);
});
