import { describe, expect, it } from "vitest";
import { ScriptedChatModel } from "@/lib/llm/scripted-chat-model";
import type { BenchItem } from "./benchmark-data";
import { formatTable } from "./report";
import { runDetector, sampleItems } from "./run-judges";
import { judgeTasks, verdict } from "./tasks";

const qaItems: BenchItem[] = [1, 2, 3].flatMap((n) => [
  {
    id: `qa-${n}-right`,
    group: `qa-${n}`,
    label: false,
    response: "Delhi",
    context: "The Oberoi Group has its head office in Delhi.",
    question: "Where?",
  },
  {
    id: `qa-${n}-hallucinated`,
    group: `qa-${n}`,
    label: true,
    response: "It is based in Mumbai.",
    context: "The Oberoi Group has its head office in Delhi.",
    question: "Where?",
  },
]);

describe("sampleItems", () => {
  it("keeps HaluEval QA pairs together", () => {
    const task = judgeTasks().find((t) => t.name === "halueval-qa")!;
    const sample = sampleItems(task, qaItems, 4, 42);
    expect(sample).toHaveLength(4);
    expect(new Set(sample.map((i) => i.group)).size).toBe(2);
    expect(sample.filter((i) => i.label)).toHaveLength(2);
  });
});

describe("runDetector", () => {
  const task = judgeTasks().find((t) => t.name === "halueval-qa")!;
  const [judgeDetector, claimDetector] = task.detectors;

  it("measures the claim check (CODE) without a judge", async () => {
    const result = await runDetector(task, claimDetector!, qaItems, { judgeName: "-", concurrency: 1 });
    expect(result).toMatchObject({ evaluator: "hallucination.claims", kind: "CODE", judge: "-" });
    expect(result.metrics).toMatchObject({ n: 6, tp: 3, tn: 3, precision: 1, recall: 1 });
  });

  it("measures an LLM judge through the evaluator, with the rating analysis", async () => {
    // A judge that rates by the answer's length: 5 for the short right answers, 2 for the others.
    const judge = new ScriptedChatModel({
      script: ({ prompt }) => ({ json: { score: prompt.includes("RESPONSE: Delhi") ? 5 : 2, reason: "r" } }),
    });
    const result = await runDetector(task, judgeDetector!, qaItems, { judge, judgeName: "scripted", concurrency: 2 });
    expect(result.metrics).toMatchObject({ n: 6, f1: 1, accuracy: 1 });
    expect(result.ratings?.["2"]).toEqual({ positive: 3, negative: 0 });
    expect(result.byThreshold?.["<=1"]).toMatchObject({ recall: 0 });
    expect(result.items[1]).toMatchObject({ id: "qa-1-hallucinated", predicted: true, rating: 2, verdict: "unfaithful" });
  });

  it("counts judge errors apart", async () => {
    const judge = new ScriptedChatModel({ script: () => "garbage" });
    const result = await runDetector(task, judgeDetector!, qaItems.slice(0, 2), { judge, judgeName: "scripted", concurrency: 1 });
    expect(result.metrics).toMatchObject({ n: 0, errors: 2 });
    expect(
      verdict({ score: 0, label: "judge_error", explanation: "", error: { code: "llm_failed", message: "" } }, judgeDetector!),
    ).toBeUndefined();
  });

  it("prints a table with a row per result and per skipped judge", async () => {
    const result = await runDetector(task, claimDetector!, qaItems, { judgeName: "-", concurrency: 1 });
    const table = formatTable(
      [result],
      [{ task: "halueval-qa", evaluator: "hallucination.judge", judge: "openai", reason: "skipped: no API key" }],
    );
    const lines = table.split("\n");
    expect(lines[0]).toMatch(/^task\s+evaluator\s+kind\s+judge\s+n\s+err\s+precision\s+recall\s+F1\s+accuracy\s+bal\.acc\s+flagged$/);
    expect(lines[2]).toMatch(/halueval-qa\s+hallucination\.claims\s+CODE\s+-\s+6\s+0\s+1\.00\s+1\.00\s+1\.00\s+1\.00\s+1\.00\s+0\.50/);
    expect(lines[3]).toContain("skipped: no API key");
  });
});
