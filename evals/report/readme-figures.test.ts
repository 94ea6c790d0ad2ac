import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { baselineTableBlock, gateConstantsBlock, replaceBlock } from "./readme-figures";
import { renderReadmeFigures } from "./readme-figures-source";

const thresholds = { toleranceZ: 1.645, minTolerance: 0.02, passScore: 0.5, metrics: { "qa.facts": { min: 0.35 } }, judges: {} };

describe("README figures", () => {
  it("are what npm run docs:figures writes from the baseline and thresholds (run it after --update-baseline)", () => {
    const readme = fs.readFileSync("README.md", "utf8");
    expect(renderReadmeFigures(readme)).toBe(readme);
  });

  it("state the gate's constants from thresholds.json", () => {
    expect(gateConstantsBlock(thresholds)).toBe("z = 1.645, never below 0.02; a per-example score of 0.5 or more passes");
  });

  it("average each metric over each group's examples", () => {
    const baseline = {
      runId: "r",
      createdAt: "2026-01-01T00:00:00Z",
      settings: {},
      metrics: { "qa.facts": { mean: 0.5, n: 2 } },
      examples: { a: { "qa.facts": 1 }, b: { "qa.facts": 0 } },
    };
    const table = baselineTableBlock(baseline, thresholds, [
      { title: "all", ids: new Set(["a", "b"]) },
      { title: "a only", ids: new Set(["a"]) },
      { title: "none", ids: new Set() },
    ]);
    expect(table.split("\n")[2]).toBe("| `qa.facts` | 0.500 (n = 2) | 1.000 (n = 1) | – | 0.35 |");
  });

  it("refuses a document without the block", () => {
    expect(() => replaceBlock("no markers", "x", "y")).toThrow(/figures:x/);
    expect(replaceBlock("a <!-- figures:x -->old<!-- /figures:x --> b", "x", "new")).toBe(
      "a <!-- figures:x -->\nnew\n<!-- /figures:x --> b",
    );
  });
});
