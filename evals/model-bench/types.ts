/** The benchmarks `npm run eval:model` knows, in the order it runs them. */
export const BENCH_NAMES = ["mmlu", "gsm8k", "humaneval", "truthfulqa"] as const;
export type BenchName = (typeof BENCH_NAMES)[number];

/** A multiple-choice item (MMLU, TruthfulQA MC1): `answer` indexes `choices`. */
export interface ChoiceItem {
  kind: "choice";
  id: string;
  /** MMLU subject; "truthfulqa" for TruthfulQA. */
  subject: string;
  question: string;
  choices: string[];
  answer: number;
}

export interface Gsm8kItem {
  kind: "gsm8k";
  id: string;
  question: string;
  /** The number after "####" in the reference solution. */
  answer: string;
}

export interface HumanEvalItem {
  kind: "humaneval";
  id: string;
  prompt: string;
  entryPoint: string;
  test: string;
  canonicalSolution: string;
}

export type BenchItem = ChoiceItem | Gsm8kItem | HumanEvalItem;

/** One item's outcome, kept in the JSON report. */
export interface ItemResult {
  id: string;
  correct: boolean;
  /** What the scorer read from the output (a letter, a number, "pass"/"fail: ..."); null when nothing parsed. */
  extracted: string | null;
  expected: string;
  output: string;
  promptTokens?: number;
  completionTokens?: number;
  durationMs: number;
  traceId?: string;
  /** The model call failed (timeout, server error): counted as wrong, listed apart. */
  error?: string;
  /** Benchmark specifics: shots used, extraction rule, sandbox isolation... */
  details?: Record<string, unknown>;
}

export interface BenchSummary {
  benchmark: BenchName;
  metric: "accuracy" | "pass@1";
  n: number;
  correct: number;
  accuracy: number;
  ci95: { low: number; high: number };
  /** What guessing scores: 0.25 for MMLU, mean 1/choices for TruthfulQA MC1, 0 for generation. */
  chance: number;
  errors: number;
  unparsed: number;
  wallMs: number;
  promptTokens: number;
  completionTokens: number;
}
