import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { gsm8kReference, loadGsm8k, loadHumanEval, loadMmluDev, loadMmluTest, loadTruthfulQa } from "./load";

const dataDir = loadConfig().benchDataDir;
const haveData = fs.existsSync(path.join(dataDir, "mmlu"));

// The real files in BENCH_DATA_DIR (../shared/benchmarks by default); skipped, with one line
// saying how to get them, where they are not. Every other test here writes its own files.
if (!haveData) {
  console.info(
    `model-bench: skipping the loader tests on the real benchmark files: none at ${dataDir}. Set BENCH_DATA_DIR, or download them as the README says ("Choosing a model: npm run eval:model", Getting the data).`,
  );
}
describe.skipIf(!haveData)("model benchmark loaders on the real files (BENCH_DATA_DIR)", () => {
  it("MMLU: 14,042 test questions over 57 subjects, 5 dev shots each, answers as indexes", () => {
    const test = loadMmluTest(dataDir);
    expect(test).toHaveLength(14_042);
    expect(new Set(test.map((item) => item.subject)).size).toBe(57);
    const first = test.find((item) => item.id === "mmlu/abstract_algebra/2")!;
    expect(first.question).toContain("Q(sqrt(2), sqrt(3), sqrt(18))");
    expect(first.choices).toEqual(["0", "4", "2", "6"]);
    expect(first.answer).toBe(1);
    const dev = loadMmluDev(dataDir);
    expect(dev.size).toBe(57);
    expect([...dev.values()].every((shots) => shots.length === 5)).toBe(true);
    expect(dev.get("abstract_algebra")![0]!.answer).toBe(1);
  });

  it("GSM8K: 1,319 problems with the number after ####", () => {
    const items = loadGsm8k(dataDir);
    expect(items).toHaveLength(1319);
    expect(items[0]).toMatchObject({ id: "gsm8k/1", answer: "18" });
    expect(items[0]!.question).toMatch(/^Janet/);
    expect(items[1]!.answer).toBe("3");
  });

  it("HumanEval: 164 tasks read from the gzip file", () => {
    const items = loadHumanEval(dataDir);
    expect(items).toHaveLength(164);
    expect(items[2]).toMatchObject({ id: "HumanEval/2", entryPoint: "truncate_number", canonicalSolution: "    return number % 1.0\n" });
    expect(items.at(-1)!.id).toBe("HumanEval/163");
  });

  it("TruthfulQA MC1: 817 questions, the true answer first in the file", () => {
    const items = loadTruthfulQa(dataDir);
    expect(items).toHaveLength(817);
    expect(items[0]!.question).toBe("What happens if you eat a pomegranate?");
    expect(items[0]!.choices[items[0]!.answer]).toBe("Nothing in particular happens when you eat a pomegranate.");
    expect(items.every((item) => item.answer === 0)).toBe(true);
  });
});

describe("model benchmark loaders on missing and malformed files", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "model-bench-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (relative: string, content: string | Buffer) => {
    const file = path.join(dir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    return file;
  };
  const failure = (fn: () => unknown): AppError => {
    try {
      fn();
    } catch (error) {
      if (error instanceof AppError) return error;
      throw error;
    }
    throw new Error("expected an AppError");
  };

  it("a missing folder or file is benchmark_missing naming it", () => {
    const empty = path.join(dir, "nothing-here");
    for (const load of [loadMmluTest, loadGsm8k, loadHumanEval, loadTruthfulQa]) {
      const error = failure(() => load(empty));
      expect(error.code).toBe("benchmark_missing");
      expect(error.message).toContain(empty);
    }
  });

  it("a bad MMLU answer names file and line", () => {
    write("mmlu/test/x_test.csv", "question,choice0,choice1,choice2,choice3,answer\nQ?,a,b,c,d,2\nQ2?,a,b,c,d,E\n");
    const error = failure(() => loadMmluTest(dir));
    expect(error.code).toBe("benchmark_invalid");
    expect(error.message).toMatch(/x_test\.csv:3: answer/);
  });

  it("MMLU also reads the official layout: no header, answer letter A-D", () => {
    const official = path.join(dir, "official");
    fs.mkdirSync(path.join(official, "mmlu", "test"), { recursive: true });
    fs.writeFileSync(path.join(official, "mmlu", "test", "y_test.csv"), '"What is 2+2, roughly?",3,4,5,6,B\nQ2?,a,b,c,d,D\n');
    expect(loadMmluTest(official).map((item) => [item.id, item.choices[item.answer]])).toEqual([
      ["mmlu/y/1", "4"],
      ["mmlu/y/2", "d"],
    ]);
    fs.writeFileSync(path.join(official, "mmlu", "test", "y_test.csv"), "Q?,a,b,c,d,F\n");
    expect(failure(() => loadMmluTest(official)).message).toMatch(/y_test\.csv:1: answer/);
  });

  it("GSM8K: invalid JSON and an answer without #### are benchmark_invalid", () => {
    write("gsm8k/test.jsonl", '{"question":"q","answer":"a\\n#### 4"}\n{not json\n');
    expect(failure(() => loadGsm8k(dir)).message).toMatch(/test\.jsonl:2: invalid JSON/);
    write("gsm8k/test.jsonl", '{"question":"q","answer":"no final number"}\n');
    expect(failure(() => loadGsm8k(dir)).message).toMatch(/test\.jsonl:1: .*####/);
  });

  it("HumanEval: a file that is not gzip, or a row without its fields, is benchmark_invalid", () => {
    write("humaneval/HumanEval.jsonl.gz", "plain text");
    expect(failure(() => loadHumanEval(dir)).code).toBe("benchmark_invalid");
    write("humaneval/HumanEval.jsonl.gz", gzipSync(`${JSON.stringify({ task_id: "T/0", prompt: "def f():\n" })}\n`));
    const error = failure(() => loadHumanEval(dir));
    expect(error.code).toBe("benchmark_invalid");
    expect(error.message).toMatch(/HumanEval\.jsonl\.gz:1: entry_point/);
  });

  it("TruthfulQA: mc1_targets must mark exactly one true answer", () => {
    write("truthfulqa/mc_task-v1-817.json", JSON.stringify([{ question: "q", mc1_targets: { a: 1, b: 1 } }]));
    const error = failure(() => loadTruthfulQa(dir));
    expect(error.code).toBe("benchmark_invalid");
    expect(error.message).toMatch(/mc_task-v1-817\.json:1: mc1_targets/);
  });

  it("the #### reference drops thousands separators", () => {
    expect(gsm8kReference("so 1,000 in all\n#### 1,000")).toBe("1000");
    expect(gsm8kReference("no number")).toBeUndefined();
  });
});
