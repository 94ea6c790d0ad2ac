import type { BenchName } from "./types";

/**
 * Published figures shown beside the measured ones. Only numbers read in the cited source are
 * here. They are rarely measured the way this tool measures (shots, log-likelihood vs generated
 * letter, harness), so `setup` says how, and the report shows it: a gap is not a bug by itself.
 */
export interface PublishedFigure {
  benchmark: BenchName;
  /** Accuracy (or pass@1) as a fraction. */
  value: number;
  /** Which model the number is for, as the source names it. */
  model: string;
  setup: string;
  source: string;
}

const SMOLLM2_CARD = "https://huggingface.co/HuggingFaceTB/SmolLM2-135M-Instruct (model card, Evaluation → Instruction model)";

/** Per local model: the model card's own numbers for these benchmarks. */
export const PUBLISHED: Readonly<Record<string, readonly PublishedFigure[]>> = {
  "smollm2-135m": [
    {
      benchmark: "mmlu",
      value: 0.293,
      model: "SmolLM2-135M-Instruct",
      setup: "MMLU (cloze): 0-shot log-likelihood of each answer text, lighteval; not a generated letter",
      source: SMOLLM2_CARD,
    },
    {
      benchmark: "gsm8k",
      value: 0.014,
      model: "SmolLM2-135M-Instruct",
      setup: "GSM8K 5-shot, lighteval",
      source: SMOLLM2_CARD,
    },
  ],
  // The Gemma 3 270M card (https://huggingface.co/google/gemma-3-270m, same table in
  // https://ai.google.dev/gemma/docs/core/model_card_3) reports HellaSwag, BoolQ, PIQA, TriviaQA,
  // ARC, WinoGrande (PT) and BBH, IFEval (IT): none of these four benchmarks.
  "gemma-3-270m": [],
};

/**
 * Reference points for other models (BENCH_DATA_DIR/SOURCES.md), so a reader can place a score
 * between "random" and "a known model".
 */
export const REFERENCE_POINTS: Readonly<Record<BenchName, string>> = {
  mmlu: "random 25.0; GPT-3 175B few-shot 43.9; Chinchilla 67.5 (hendrycks/test README)",
  gsm8k: "GPT-3 6B finetuned 21.7; GPT-3 175B finetuned 34.7, with verifier 56.3 (openai/grade-school-math released solutions)",
  humaneval: "GPT-3 0.0; GPT-J 6B 11.4; Codex-12B 28.8 (arXiv 2107.03374)",
  truthfulqa: "MC1: GPT-2 1.5B 0.22; GPT-3 175B 0.21; GPT-J 6B 0.20; UnifiedQA 3B 0.19 (sylinrl/TruthfulQA README)",
};

export function publishedFor(modelName: string, benchmark: BenchName): PublishedFigure | undefined {
  return PUBLISHED[modelName]?.find((figure) => figure.benchmark === benchmark);
}
