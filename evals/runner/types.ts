import type { Split } from "@/lib/datasets/split";
import type { ErrorInfo } from "@/lib/errors";
import type { EvalScore, EvaluatorKind } from "../evaluators/types";

/**
 * What one `npm run eval` produces: the runner fills it, the gate decides on it, the reports
 * (terminal table, JSON, HTML, JUnit) render it. Plain data, so the JSON file is this object.
 */

export interface ScoredMetric extends EvalScore {
  kind: EvaluatorKind;
}

export interface ExampleSource {
  id: string;
  docId: string;
  title: string;
  score: number;
}

export interface ExampleResult {
  exampleId: string;
  /** The dataset file's name without extension ("manual", "synthetic", "production"). */
  dataset: string;
  /** The example's split: tune on dev, publish test. */
  split?: Split;
  tags: string[];
  input: string;
  answer: string;
  expected: { answer?: string; facts?: string[]; docIds?: string[]; route?: string; tests?: string[] };
  route?: string;
  sources: ExampleSource[];
  traceId?: string;
  traceUrl?: string;
  latencyMs: number;
  costUsd?: number;
  /** When the agent started on it (ISO 8601). */
  startedAt?: string;
  /** Metric name → score, for the evaluators that applied to this example. */
  scores: Record<string, ScoredMetric>;
  /** The agent run itself broke (not a low score): code and message. */
  error?: ErrorInfo;
}

/** "unqualified": a judge metric reported but not gated (its judge is not qualified; see evals/judges/qualification.json). */
export type MetricStatus = "pass" | "fail" | "no-data" | "unqualified";

export interface SplitMean {
  mean: number;
  n: number;
}

export interface MetricSummary {
  metric: string;
  kind: EvaluatorKind;
  /** Examples scored (judge errors excluded). */
  n: number;
  mean: number;
  /** Absolute floor from evals/thresholds.json. */
  threshold?: number;
  /** The committed baseline's mean for this metric. */
  baseline?: number;
  /** mean − baseline. */
  delta?: number;
  /** How far below the baseline the mean may fall before it fails (depends on n). */
  tolerance?: number;
  status: MetricStatus;
  /** Why it failed, in words ("below threshold 0.70", "dropped 0.21 from baseline, tolerance 0.09"). */
  reason?: string;
  /** Judge/evaluator errors, not averaged in. */
  errors: number;
  /** The same mean over the dev and the test examples (published figures are test figures). */
  dev?: SplitMean;
  test?: SplitMean;
}

export interface Regression {
  exampleId: string;
  metric: string;
  baselineScore: number;
  score: number;
}

export interface EvalRunResult {
  runId: string;
  startedAt: string;
  wallMs: number;
  settings: {
    provider: string;
    model: string;
    judge: string;
    /** The LLM judge is the app's own chat model. */
    selfJudging?: boolean;
    datasets: string[];
    ci: boolean;
    filter?: string;
    split?: "dev" | "test";
    limit?: number;
    concurrency: number;
  };
  metrics: MetricSummary[];
  examples: ExampleResult[];
  /** Examples that passed a metric in the baseline and fail it now. */
  regressions: Regression[];
  /** Each judge's agreement with people on the production items (Cohen's kappa). */
  agreement?: JudgeAgreement[];
  /** More regressions than this fail the run (`--fail-on-regressions N`); unset, they are only listed. */
  regressionLimit?: number;
  passed: boolean;
}

/** What a person said about a production item's answer: true = good. */
export type HumanSignal = "reviewer" | "feedback";

export interface JudgeAgreement {
  judge: string;
  signal: HumanSignal;
  /** Items with both a judge verdict and the human signal. */
  n: number;
  /** Cohen's kappa; null when undefined (no items, or both sides constant). */
  kappa: number | null;
}
