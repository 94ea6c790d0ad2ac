import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { DatasetError, loadDataset, type DatasetExample } from "@/lib/datasets/dataset-example";
import { historyTurns } from "@/lib/datasets/history-turns";
import { SPLITS, type Split } from "@/lib/datasets/split";
import type { Turn } from "@/lib/sessions/session-store";
import { parseJsonlLines } from "@/lib/validation/jsonl";

/** A knowledge-base question labeled answerable or not by the documents. */
export interface LabeledQuestion {
  id: string;
  message: string;
  /** The conversation before the message (follow-ups); empty for a first turn. */
  history: Turn[];
  answerable: boolean;
  split: Split;
  /** Where it comes from: "probes" or the dataset file's name ("manual"). */
  source: string;
}

/** One line of evals/abstention/probes.jsonl. */
const probeSchema = z.strictObject({
  id: z.string().trim().min(1),
  message: z.string().trim().min(1),
  answerable: z.boolean(),
  split: z.enum(SPLITS),
});

export function loadProbes(file: string): LabeledQuestion[] {
  const lines = parseJsonlLines(
    fs.readFileSync(file, "utf8"),
    probeSchema,
    (line, problem, cause) => new DatasetError(file, line, problem, { cause }),
  );
  return lines.map(({ value }) => ({ ...value, history: [], source: "probes" }));
}

/**
 * The eval dataset's knowledge-base questions with a verdict on answerability: `unanswerable`
 * tagged ones, and questions (follow-ups too) on the knowledge_base_search route with expected facts.
 * Items without a split are left out (the split is what makes a figure a dev or a test one).
 */
function fromDataset(file: string): LabeledQuestion[] {
  const source = path.basename(file, ".jsonl");
  return loadDataset(file).flatMap((example: DatasetExample) => {
    if (!example.split) return [];
    const unanswerable = example.tags.includes("unanswerable");
    const answerable = example.expected.route === "knowledge_base_search" && (example.expected.facts?.length ?? 0) > 0;
    if (!unanswerable && !answerable) return [];
    const history = historyTurns(example.input.history ?? []);
    return [{ id: example.id, message: example.input.message, history, answerable: !unanswerable, split: example.split, source }];
  });
}

export function labeledQuestions(probesFile: string, datasetFiles: readonly string[]): LabeledQuestion[] {
  return [...loadProbes(probesFile), ...datasetFiles.flatMap(fromDataset)];
}
