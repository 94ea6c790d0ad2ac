import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { parseCsvRecords } from "./csv";

/**
 * Loads the labeled benchmark files under BENCH_DATA_DIR (see its SOURCES.md) into one shape:
 * a response to judge, its context and question where there are some, and a boolean label
 * where true is the class the judge must catch (hallucinated / toxic / unfaithful).
 * Every row is validated with zod; a bad row names its file and line.
 */

export interface BenchItem {
  id: string;
  /** Rows that belong together (HaluEval QA's right and hallucinated answer to one question). */
  group: string;
  label: boolean;
  response: string;
  context?: string;
  question?: string;
}

/** The development splits this project tunes on (SOURCES.md, "Splits kept here"). */
export const BENCHMARK_FILES = {
  haluevalQa: "halueval/qa_data.dev600.jsonl",
  haluevalGeneral: "halueval/general_data.json",
  surgeToxicity: "toxicity/surge-toxicity_en.dev.csv",
  faithBench: "faithbench/FaithBench.dev600.csv",
} as const;

export function readText(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new AppError("benchmark_missing", `Cannot read benchmark file ${file} (set BENCH_DATA_DIR?): ${String(error)}`, { cause: error });
  }
}

export function validate<T>(schema: z.ZodType<T>, value: unknown, file: string, line: number): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new AppError("benchmark_invalid", `${file}:${line}: ${detail}`);
  }
  return parsed.data;
}

/** JSON Lines text, one validated value per non-blank line; errors name `file:line`. */
export function parseJsonLines<T>(text: string, file: string, schema: z.ZodType<T>): { value: T; line: number }[] {
  return text
    .split(/\r?\n/)
    .map((raw, index) => ({ raw, line: index + 1 }))
    .filter(({ raw }) => raw.trim() !== "")
    .map(({ raw, line }) => {
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch (error) {
        throw new AppError("benchmark_invalid", `${file}:${line}: invalid JSON`, { cause: error });
      }
      return { value: validate(schema, json, file, line), line };
    });
}

/** JSON Lines (HaluEval's general_data.json is JSON Lines despite its name). */
export function readJsonLines<T>(file: string, schema: z.ZodType<T>): { value: T; line: number }[] {
  return parseJsonLines(readText(file), file, schema);
}

export function readCsv<T>(file: string, schema: z.ZodType<T>): { value: T; line: number }[] {
  let records: Record<string, string>[];
  try {
    records = parseCsvRecords(readText(file));
  } catch (error) {
    if (error instanceof AppError && error.code === "benchmark_missing") throw error;
    throw new AppError("benchmark_invalid", `${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  // Line numbers count records (header = 1), not physical lines: fields may hold line breaks.
  return records.map((record, index) => ({ value: validate(schema, record, file, index + 2), line: index + 2 }));
}

const haluevalQaRow = z.object({
  knowledge: z.string().min(1),
  question: z.string().min(1),
  right_answer: z.string().min(1),
  hallucinated_answer: z.string().min(1),
});

/** HaluEval QA: each row gives two items, the right answer (label false) and the hallucinated one (true). */
export function loadHaluEvalQa(file: string): BenchItem[] {
  return readJsonLines(file, haluevalQaRow).flatMap(({ value, line }) => {
    const common = { group: `qa-${line}`, context: value.knowledge, question: value.question };
    return [
      { ...common, id: `qa-${line}-right`, label: false, response: value.right_answer },
      { ...common, id: `qa-${line}-hallucinated`, label: true, response: value.hallucinated_answer },
    ];
  });
}

const haluevalGeneralRow = z.object({
  ID: z.union([z.string(), z.number()]).transform(String),
  user_query: z.string(),
  chatgpt_response: z.string(),
  hallucination: z.enum(["yes", "no"]),
});

/** HaluEval general: a ChatGPT response to a user query, human-labeled; no reference text. */
export function loadHaluEvalGeneral(file: string): BenchItem[] {
  return readJsonLines(file, haluevalGeneralRow)
    .filter(({ value }) => value.chatgpt_response.trim() !== "")
    .map(({ value }) => ({
      id: `general-${value.ID}`,
      group: `general-${value.ID}`,
      label: value.hallucination === "yes",
      question: value.user_query,
      response: value.chatgpt_response,
    }));
}

const surgeRow = z.object({ text: z.string().min(1), is_toxic: z.enum(["Toxic", "Not Toxic"]) });

/** Surge AI toxicity sample: one comment, Toxic / Not Toxic. */
export function loadSurgeToxicity(file: string): BenchItem[] {
  return readCsv(file, surgeRow).map(({ value, line }) => ({
    id: `surge-${line}`,
    group: `surge-${line}`,
    label: value.is_toxic === "Toxic",
    response: value.text,
  }));
}

export const FAITHBENCH_LABELS = ["Consistent", "Benign", "Questionable", "Unwanted"] as const;
/**
 * FaithBench binarised the way its authors do (vectara/FaithBench scripts/binarize.py): the
 * worst label any annotator gave, with Questionable and Unwanted as hallucinated and
 * Consistent and Benign (true, but not in the source) as faithful.
 */
export const FAITHBENCH_UNFAITHFUL: ReadonlySet<string> = new Set(["Questionable", "Unwanted"]);

const faithBenchRow = z.object({
  source: z.string().min(1),
  summary: z.string().min(1),
  LLM: z.string(),
  "worst-label": z.enum(FAITHBENCH_LABELS),
  "best-label": z.enum(FAITHBENCH_LABELS),
});

/** FaithBench: an LLM's summary of a source passage, labeled by human annotators. */
export function loadFaithBench(file: string): BenchItem[] {
  return readCsv(file, faithBenchRow).map(({ value, line }) => ({
    id: `faithbench-${line}`,
    group: `faithbench-${line}`,
    label: FAITHBENCH_UNFAITHFUL.has(value["worst-label"]),
    context: value.source,
    response: value.summary.trim(),
  }));
}

export function benchmarkPath(benchDataDir: string, relative: string): string {
  return path.resolve(benchDataDir, relative);
}
