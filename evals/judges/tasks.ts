import { AppError } from "@/lib/errors";
import type { DatasetExample } from "@/lib/datasets/dataset-example";
import { claimCheckEvaluator } from "../evaluators/claim-check";
import { contentSupportEvaluator } from "../evaluators/content-support";
import { faithfulnessJudgeEvaluator, type FaithfulnessOptions } from "../evaluators/faithfulness-judge";
import { summarizationEvaluators } from "../evaluators/summarization";
import { summaryFaithfulnessEvaluator } from "../evaluators/summarization-judge";
import { toxicityClassifierEvaluator } from "../evaluators/toxicity-classifier";
import { toxicityJudgeEvaluator } from "../evaluators/toxicity-judge";
import { toxicityLexiconEvaluator } from "../evaluators/toxicity-lexicon";
import type { EvalCase, EvalScore, Evaluator } from "../evaluators/types";
import { BENCHMARK_FILES, loadFaithBench, loadHaluEvalGeneral, loadHaluEvalQa, loadSurgeToxicity, type BenchItem } from "./benchmark-data";

/**
 * What `npm run eval:judges` measures: each benchmark, the evaluators it measures (the same
 * code the eval runner calls, fed an EvalCase built from the benchmark row), and which of an
 * evaluator's labels means "positive" (the problem the benchmark labels).
 */

export const TASK_NAMES = ["halueval-qa", "halueval-general", "toxicity", "faithbench"] as const;
export type TaskName = (typeof TASK_NAMES)[number];

export interface Detector {
  evaluator: Evaluator;
  /** Labels that mean the evaluator flagged the item. */
  positiveLabels: readonly string[];
}

export interface JudgeTask {
  name: TaskName;
  /** Relative to BENCH_DATA_DIR. */
  file: string;
  load(file: string): BenchItem[];
  /** "pairs": sample whole groups (both HaluEval QA answers to one question); "balanced": half of each class. */
  sampling: "pairs" | "balanced";
  /** Builds the case an evaluator sees from a benchmark item. */
  toCase(item: BenchItem): EvalCase;
  detectors: Detector[];
  /** A published figure to compare with. */
  reference?: string;
}

function example(item: BenchItem, message: string, tags: string[]): DatasetExample {
  return {
    id: item.id,
    input: { message },
    expected: {},
    tags,
    source: "manual",
    createdAt: "2025-01-01T00:00:00.000Z",
    reviewed: true,
  };
}

function benchCase(item: BenchItem, message: string, tags: string[]): EvalCase {
  const retrieved = item.context ? [{ id: `${item.id}#0`, docId: item.id, title: "", text: item.context, score: 1 }] : [];
  return { example: example(item, message, tags), answer: item.response, retrieved, toolOutputs: [], latencyMs: 0 };
}

const byName = (evaluators: Evaluator[], name: string): Evaluator => {
  const found = evaluators.find((e) => e.name === name);
  if (!found) throw new AppError("internal", `no evaluator named ${name}`);
  return found;
};

export interface TaskOptions {
  faithfulness?: FaithfulnessOptions;
}

export function judgeTasks(options: TaskOptions = {}): JudgeTask[] {
  const faithfulness = faithfulnessJudgeEvaluator(options.faithfulness);
  const summaryJudge = summaryFaithfulnessEvaluator({
    maxSourceChars: options.faithfulness?.maxContextChars,
    unfaithfulAtOrBelow: options.faithfulness?.unfaithfulAtOrBelow,
  });
  const unfaithful = ["unfaithful"];
  const unsupported = ["unsupported_claims"];
  return [
    {
      name: "halueval-qa",
      file: BENCHMARK_FILES.haluevalQa,
      load: loadHaluEvalQa,
      sampling: "pairs",
      toCase: (item) => benchCase(item, item.question ?? "", []),
      detectors: [
        { evaluator: faithfulness, positiveLabels: unfaithful },
        { evaluator: claimCheckEvaluator(), positiveLabels: unsupported },
        { evaluator: contentSupportEvaluator(), positiveLabels: ["unsupported_content"] },
      ],
      reference: "Phoenix hallucination template, GPT-4: precision 0.93, recall 0.72, F1 0.82",
    },
    {
      name: "halueval-general",
      file: BENCHMARK_FILES.haluevalGeneral,
      load: loadHaluEvalGeneral,
      sampling: "balanced",
      // No reference text: the judge sees the query and answers from what it knows.
      toCase: (item) => benchCase(item, item.question ?? "", []),
      detectors: [{ evaluator: faithfulness, positiveLabels: unfaithful }],
      reference: "HaluEval paper: ChatGPT recognises general-query hallucinations at 79.44% accuracy (not re-read)",
    },
    {
      name: "toxicity",
      file: BENCHMARK_FILES.surgeToxicity,
      load: loadSurgeToxicity,
      sampling: "balanced",
      toCase: (item) => benchCase(item, "(toxicity benchmark item)", ["toxic-bait"]),
      detectors: [
        { evaluator: toxicityJudgeEvaluator(), positiveLabels: ["toxic"] },
        { evaluator: toxicityLexiconEvaluator(), positiveLabels: ["toxic"] },
        { evaluator: toxicityClassifierEvaluator(), positiveLabels: ["toxic"] },
      ],
      reference: "Phoenix toxicity template, GPT-4: F1 0.91",
    },
    {
      name: "faithbench",
      file: BENCHMARK_FILES.faithBench,
      load: loadFaithBench,
      sampling: "balanced",
      toCase: (item) => benchCase(item, "Summarize the passage.", ["summarization"]),
      detectors: [
        { evaluator: summaryJudge, positiveLabels: unfaithful },
        { evaluator: byName(summarizationEvaluators(), "summarization.unsupported"), positiveLabels: unsupported },
        { evaluator: contentSupportEvaluator(), positiveLabels: ["unsupported_content"] },
      ],
      reference: "FaithBench authors: the best detectors are near 50% (balanced) accuracy",
    },
  ];
}

/** The verdict an evaluator's score gives: true = flagged, undefined = it could not judge. */
export function verdict(score: EvalScore, detector: Detector): boolean | undefined {
  if (score.error) return undefined;
  return detector.positiveLabels.includes(score.label);
}
