import fs from "node:fs";
import { z } from "zod";
import { routeNameSchema } from "./route-name";
import { SPLITS } from "./split";
import { parseJsonlLines } from "../validation/jsonl";

/**
 * One eval example, one line of a JSONL file under `evals/datasets/` (DESIGN.md, "Datasets").
 * Objects are strict: a misspelt key is an error, not a silently ignored field.
 */

const nonEmpty = z.string().trim().min(1, "must not be empty");

export const historyTurnSchema = z.strictObject({
  role: z.enum(["user", "assistant"]),
  content: z.string(),
});

export const datasetExampleSchema = z.strictObject({
  id: nonEmpty,
  input: z.strictObject({
    message: nonEmpty,
    history: z.array(historyTurnSchema).optional(),
  }),
  expected: z.strictObject({
    answer: z.string().optional(),
    facts: z.array(nonEmpty).optional(),
    docIds: z.array(nonEmpty).optional(),
    route: routeNameSchema.optional(),
    tests: z.array(nonEmpty).optional(),
  }),
  tags: z.array(nonEmpty),
  source: z.enum(["manual", "synthetic", "production"]),
  traceId: nonEmpty.optional(),
  createdAt: z.iso.datetime({ offset: true }),
  reviewed: z.boolean(),
  /** Where the item counts: `dev` (tune on it) or `test` (publish it). See ./split.ts. */
  split: z.enum(SPLITS).optional(),
});

export type DatasetExample = z.infer<typeof datasetExampleSchema>;
export type HistoryTurn = z.infer<typeof historyTurnSchema>;

/** A dataset file that cannot be used; `message` is `"<file>:<line>: <problem>"`. */
export class DatasetError extends Error {
  readonly file: string;
  /** 1-based line number; 0 when the problem is the file itself (unreadable, empty). */
  readonly line: number;
  readonly problem: string;

  constructor(file: string, line: number, problem: string, options?: { cause?: unknown }) {
    super(`${file}:${line}: ${problem}`, options);
    this.name = "DatasetError";
    this.file = file;
    this.line = line;
    this.problem = problem;
  }
}

/**
 * Parses JSONL text: one example per non-blank line. All-or-nothing: the first bad line
 * (invalid JSON, schema violation, duplicate id) throws a `DatasetError` and nothing is returned.
 */
export function parseDataset(text: string, file: string): DatasetExample[] {
  const lines = parseJsonlLines(text, datasetExampleSchema, (line, problem, cause) => new DatasetError(file, line, problem, { cause }));
  const seen = new Map<string, number>();
  for (const { line, value } of lines) {
    const previous = seen.get(value.id);
    if (previous !== undefined) throw new DatasetError(file, line, `duplicate id "${value.id}" (first on line ${previous})`);
    seen.set(value.id, line);
  }
  if (lines.length === 0) throw new DatasetError(file, 0, "the dataset has no examples");
  return lines.map((l) => l.value);
}

/** Reads and validates a JSONL dataset file (see `parseDataset`). */
export function loadDataset(file: string): DatasetExample[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new DatasetError(file, 0, `cannot read the file: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return parseDataset(text, file);
}
