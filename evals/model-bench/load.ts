import fs from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { parseJsonLines, readCsv, readJsonLines, readText, validate } from "../judges/benchmark-data";
import { parseCsv } from "../judges/csv";
import type { ChoiceItem, Gsm8kItem, HumanEvalItem } from "./types";

/**
 * Loaders for the model benchmarks under BENCH_DATA_DIR, laid out as in its SOURCES.md (and as
 * the README's download recipe leaves them). The data is read where it lies, never copied into
 * the repo. A missing file is `benchmark_missing`, a bad row `benchmark_invalid` naming file:line.
 */

export const MODEL_BENCH_FILES = {
  mmluTest: "mmlu/test",
  mmluDev: "mmlu/dev",
  gsm8k: "gsm8k/test.jsonl",
  humaneval: "humaneval/HumanEval.jsonl.gz",
  truthfulqa: "truthfulqa/mc_task-v1-817.json",
} as const;

const mmluRow = z.object({
  question: z.string().min(1),
  choice0: z.string(),
  choice1: z.string(),
  choice2: z.string(),
  choice3: z.string(),
  answer: z.string().regex(/^[0-3]$/, "answer must be an index 0-3 (or a letter A-D without a header)"),
});

function listCsv(dir: string, suffix: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (error) {
    throw new AppError("benchmark_missing", `Cannot read benchmark folder ${dir} (set BENCH_DATA_DIR?): ${String(error)}`, {
      cause: error,
    });
  }
  const files = names.filter((name) => name.endsWith(suffix)).sort();
  if (files.length === 0) throw new AppError("benchmark_missing", `No *${suffix} files in ${dir} (set BENCH_DATA_DIR?)`);
  return files;
}

const MMLU_HEADER = "question,choice0,choice1,choice2,choice3,answer";

/**
 * One subject file, in either layout: the one in ../shared/benchmarks (a header, answer index
 * 0-3) or the official data.tar's (no header, answer letter A-D), which the README's download
 * recipe leaves in place.
 */
function readMmluFile(file: string): Array<{ value: z.infer<typeof mmluRow>; line: number }> {
  const text = readText(file);
  if (text.replace(/^\uFEFF/, "").startsWith(MMLU_HEADER)) return readCsv(file, mmluRow);
  let rows: string[][];
  try {
    rows = parseCsv(text);
  } catch (error) {
    throw new AppError("benchmark_invalid", `${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return rows
    .map((row, index) => ({ row, line: index + 1 }))
    .filter(({ row }) => !(row.length === 1 && row[0] === ""))
    .map(({ row, line }) => {
      if (row.length !== 6)
        throw new AppError("benchmark_invalid", `${file}:${line}: expected 6 fields (question, 4 choices, answer), got ${row.length}`);
      const [question, choice0, choice1, choice2, choice3, letter] = row as [string, string, string, string, string, string];
      const answer = "ABCD".indexOf(letter.trim());
      const value = validate(
        mmluRow,
        { question, choice0, choice1, choice2, choice3, answer: answer < 0 ? letter : String(answer) },
        file,
        line,
      );
      return { value, line };
    });
}

function loadMmluFolder(dir: string, suffix: "_test.csv" | "_dev.csv"): ChoiceItem[] {
  return listCsv(dir, suffix).flatMap((name) => {
    const subject = name.slice(0, -suffix.length);
    return readMmluFile(path.join(dir, name)).map(({ value, line }) => ({
      kind: "choice" as const,
      id: `mmlu/${subject}/${line}`,
      subject,
      question: value.question,
      choices: [value.choice0, value.choice1, value.choice2, value.choice3],
      answer: Number(value.answer),
    }));
  });
}

/** MMLU test questions of every subject (the 14,042 of the official release). */
export function loadMmluTest(benchDataDir: string): ChoiceItem[] {
  return loadMmluFolder(path.join(benchDataDir, MODEL_BENCH_FILES.mmluTest), "_test.csv");
}

/** The 5 dev questions per subject that the standard 5-shot prompt shows before each question. */
export function loadMmluDev(benchDataDir: string): Map<string, ChoiceItem[]> {
  const bySubject = new Map<string, ChoiceItem[]>();
  for (const item of loadMmluFolder(path.join(benchDataDir, MODEL_BENCH_FILES.mmluDev), "_dev.csv")) {
    bySubject.set(item.subject, [...(bySubject.get(item.subject) ?? []), item]);
  }
  return bySubject;
}

const gsm8kRow = z.object({ question: z.string().min(1), answer: z.string().min(1) });

/** The reference number after "####", commas dropped: "#### 1,000" → "1000". */
export function gsm8kReference(solution: string): string | undefined {
  const match = /####\s*(-?[\d,]*\.?\d+)/.exec(solution);
  return match ? match[1]!.replace(/,/g, "") : undefined;
}

export function loadGsm8k(benchDataDir: string): Gsm8kItem[] {
  const file = path.join(benchDataDir, MODEL_BENCH_FILES.gsm8k);
  return readJsonLines(file, gsm8kRow).map(({ value, line }) => {
    const answer = gsm8kReference(value.answer);
    if (answer === undefined) throw new AppError("benchmark_invalid", `${file}:${line}: the answer has no "#### <number>" line`);
    return { kind: "gsm8k" as const, id: `gsm8k/${line}`, question: value.question, answer };
  });
}

const humanEvalRow = z.object({
  task_id: z.string().min(1),
  prompt: z.string().min(1),
  entry_point: z.string().regex(/^[A-Za-z_]\w*$/, "entry_point must be a Python identifier"),
  canonical_solution: z.string(),
  test: z.string().min(1),
});

/** HumanEval, read gzipped as published. */
export function loadHumanEval(benchDataDir: string): HumanEvalItem[] {
  const file = path.join(benchDataDir, MODEL_BENCH_FILES.humaneval);
  let text: string;
  try {
    text = gunzipSync(fs.readFileSync(file)).toString("utf8");
  } catch (error) {
    const missing = error instanceof Error && "code" in error && error.code === "ENOENT";
    throw new AppError(
      missing ? "benchmark_missing" : "benchmark_invalid",
      `${missing ? "Cannot read" : "Not a gzip file:"} ${file}${missing ? " (set BENCH_DATA_DIR?)" : ""}: ${String(error)}`,
      {
        cause: error,
      },
    );
  }
  return parseJsonLines(text, file, humanEvalRow).map(({ value }) => ({
    kind: "humaneval" as const,
    id: value.task_id,
    prompt: value.prompt,
    entryPoint: value.entry_point,
    test: value.test,
    canonicalSolution: value.canonical_solution,
  }));
}

const truthfulRow = z.object({
  question: z.string().min(1),
  mc1_targets: z
    .record(z.string(), z.number().int().min(0).max(1))
    .refine((targets) => Object.values(targets).filter((v) => v === 1).length === 1, "mc1_targets must mark exactly one answer 1")
    .refine((targets) => Object.keys(targets).length >= 2, "mc1_targets needs at least two answers"),
});

/**
 * TruthfulQA MC1 in file order: `answer` points at the one true choice, which the file always
 * lists first. The runner shuffles choices with the seed, or the model could learn "always A".
 */
export function loadTruthfulQa(benchDataDir: string): ChoiceItem[] {
  const file = path.join(benchDataDir, MODEL_BENCH_FILES.truthfulqa);
  let rows: unknown;
  try {
    rows = JSON.parse(readText(file));
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError("benchmark_invalid", `${file}: invalid JSON`, { cause: error });
  }
  if (!Array.isArray(rows)) throw new AppError("benchmark_invalid", `${file}: expected a JSON array of questions`);
  return rows.map((row, index) => {
    const value = validate(truthfulRow, row, file, index + 1);
    const choices = Object.keys(value.mc1_targets);
    return {
      kind: "choice" as const,
      id: `truthfulqa/${index + 1}`,
      subject: "truthfulqa",
      question: value.question,
      choices,
      answer: choices.findIndex((choice) => value.mc1_targets[choice] === 1),
    };
  });
}
