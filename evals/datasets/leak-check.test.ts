import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TRACE_EXPORT_SUFFIX } from "@/lib/curation/trace-export";
import { loadDataset, type DatasetExample } from "@/lib/datasets/dataset-example";
import { loadProbes } from "../abstention/labeled-questions";
import { codeStringLiterals, findFactLeaks, findNearCopies } from "@/test-support/evals/leak-check";
import { catalogueNames, modelVisibleTexts } from "@/test-support/evals/model-visible";

const DATASETS_DIR = import.meta.dirname;
const items: DatasetExample[] = fs
  .readdirSync(DATASETS_DIR)
  .filter((name) => name.endsWith(".jsonl") && !name.endsWith(TRACE_EXPORT_SUFFIX))
  .flatMap((name) => loadDataset(path.join(DATASETS_DIR, name)));
// The abstention probes (evals/abstention) are a labeled set too: their questions stay out of what the model reads.
const probes: DatasetExample[] = loadProbes(path.join(DATASETS_DIR, "..", "abstention", "probes.jsonl")).map((p) => ({
  id: p.id,
  input: { message: p.message },
  expected: {},
  tags: [],
  source: "manual",
  createdAt: "2026-12-05T00:00:00.000Z",
  reviewed: true,
  split: p.split,
}));
const visible = modelVisibleTexts();
const report = (leaks: { item: string; where: string; why: string }[]) => leaks.map((l) => `${l.item} → ${l.where}: ${l.why}`);

describe("no eval content reaches the model", () => {
  it("no dataset message or history turn is a near copy of a prompt, example, tool description or code string", () => {
    const literals = codeStringLiterals(process.cwd(), ["agents", "lib", "app", "evals", "scripts"]);
    expect(report(findNearCopies([...items, ...probes], [...visible, ...literals]))).toEqual([]);
  });

  it("no expected fact or figure of a test item is in a model-visible string", () => {
    expect(report(findFactLeaks(items, visible, catalogueNames()))).toEqual([]);
  });
});

describe("the leak check", () => {
  const item = (id: string, message: string, facts: string[] = [], split: "dev" | "test" = "test"): DatasetExample => ({
    id,
    input: { message },
    expected: { facts },
    tags: [],
    source: "manual",
    createdAt: "2026-01-01T00:00:00.000Z",
    reviewed: true,
    split,
  });

  it("catches a planted near copy (word order and case changed, one word swapped)", () => {
    const planted = item("planted", "Which region had the highest revenue in the second quarter?");
    const leaks = findNearCopies([planted], [{ where: "route sales_query: example 9", text: "which region had the highest sales revenue in the second quarter" }]);
    expect(leaks).toEqual([expect.objectContaining({ item: "planted", where: "route sales_query: example 9" })]);
    expect(findNearCopies([planted], [{ where: "x", text: "How do I return a product?" }])).toEqual([]);
  });

  it("catches a short message quoted whole inside a longer description", () => {
    const quoted = [{ where: "tool description", text: "Ask back when the message is vague (e.g. 'and the other ones then?')." }];
    expect(findNearCopies([item("q1", "And the other ones, then?")], quoted)).toHaveLength(1);
    expect(findNearCopies([item("q2", "other ones")], quoted)).toHaveLength(0);
  });

  it("catches a test item's figure in a worked example, not a dev item's", () => {
    const visibleText = [{ where: "route calculator: worked example 2", text: '{"expression":"(10724597 - 8515801) / 8515801 * 100"}' }];
    expect(findFactLeaks([item("t", "q", ["8,515,801"])], visibleText)).toHaveLength(1);
    expect(findFactLeaks([item("d", "q", ["8,515,801"], "dev")], visibleText)).toEqual([]);
    expect(findFactLeaks([item("t", "q", ["EMEA"])], [{ where: "x", text: "EMEA, APAC" }])).toEqual([]);
  });
});
