import { describe, expect, it } from "vitest";
import { formatSummaryTable } from "./summary-table";
import { makeEvalResult } from "@/test-support/evals/eval-run-result";

const ESC = "\x1b";

function rowOf(table: string, metric: string): string {
  const row = table.split("\n").find((line) => line.startsWith(`${metric} `));
  if (row === undefined) throw new Error(`no row for ${metric} in:\n${table}`);
  return row;
}

describe("formatSummaryTable", () => {
  it("shows each metric's numbers and status", () => {
    const table = formatSummaryTable(makeEvalResult(), { color: false });

    const facts = rowOf(table, "qa.facts");
    expect(facts).toMatch(/\bCODE\s+3\s+0\s+0\.333\s+—\s+—\s+0\.700\s+0\.800\s+-0\.467\s+FAIL\s+below threshold 0\.70$/);
    expect(rowOf(table, "retrieval.ndcg@4")).toMatch(/\s2\s+0\s+0\.900\s+—\s+—\s+0\.600\s+0\.880\s+\+0\.020\s+PASS$/);
    // No baseline: dashes, not zeros.
    expect(rowOf(table, "hallucination.judge")).toMatch(/\bLLM\s+1\s+1\s+1\.000\s+—\s+—\s+0\.500\s+—\s+—\s+PASS$/);
    expect(rowOf(table, "code.correctness")).toMatch(/\s0\s+0\s+—\s+—\s+—\s+—\s+—\s+—\s+—\s+no example was scored/);
  });

  it("aligns the columns", () => {
    const lines = formatSummaryTable(makeEvalResult(), { color: false }).split("\n");
    const header = lines[0]!;
    const statusAt = header.indexOf("status");
    const scoreEnd = header.indexOf("score") + "score".length;
    for (const metric of ["qa.facts", "retrieval.ndcg@4", "hallucination.judge", "code.correctness"]) {
      const row = rowOf(lines.join("\n"), metric);
      expect(row.slice(statusAt, statusAt + 4)).toMatch(/^(PASS|FAIL|— {3})$/);
      // Numbers are right-aligned under their header.
      expect(row[scoreEnd - 1]).toMatch(/[0-9—]/);
      expect(row[scoreEnd]).toBe(" ");
    }
  });

  it("ends with the examples, broken runs, regressions, wall time and verdict", () => {
    const table = formatSummaryTable(makeEvalResult(), { color: false });
    expect(table).toContain("examples: 3 run, 1 with a broken run");
    expect(table).toContain("regressions (pass → fail vs baseline): 1");
    expect(table).toContain("  manual-002 qa.facts 1.000→0.000");
    expect(table).toContain("wall time: 1 m 23 s");
    expect(table.split("\n").at(-1)).toBe("FAILED: 1 metric failed (qa.facts); 1 regression vs baseline");
  });

  it("lists at most 10 regressions and counts the rest", () => {
    const result = makeEvalResult();
    result.regressions = Array.from({ length: 13 }, (_, i) => ({ exampleId: `ex-${i}`, metric: "qa.facts", baselineScore: 1, score: 0 }));
    const table = formatSummaryTable(result, { color: false });
    expect(table).toContain("ex-9 qa.facts");
    expect(table).not.toContain("ex-10 qa.facts");
    expect(table).toContain("… and 3 more");
  });

  it("colours only when asked, and never lets data write escape codes", () => {
    const result = makeEvalResult();
    result.regressions[0]!.exampleId = `evil${ESC}[2J`;
    const plain = formatSummaryTable(result, { color: false });
    expect(plain).not.toContain(ESC);
    expect(plain).toContain("evil [2J");

    const coloured = formatSummaryTable(result, { color: true });
    expect(coloured).toContain(`${ESC}[31mFAIL`);
    expect(coloured).toContain(`${ESC}[32mPASS`);
    expect(coloured).not.toContain(`evil${ESC}`);
  });

  it("says PASSED when the gate passed", () => {
    const result = makeEvalResult();
    result.passed = true;
    result.metrics = result.metrics.filter((m) => m.status !== "fail");
    result.regressions = [];
    expect(formatSummaryTable(result, { color: false }).split("\n").at(-1)).toMatch(/^PASSED: 3 metrics checked/);
  });
});
