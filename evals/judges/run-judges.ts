import type { Embedder } from "@/lib/embeddings/types";
import type { EvalScore, JudgeKind, JudgeModel } from "../evaluators/types";
import { judgeFigures, type JudgeFigures } from "./intervals";
import type { BenchItem } from "./benchmark-data";
import { binaryMetrics, type BinaryMetrics, type Prediction } from "./metrics";
import { mapPool } from "../map-pool";
import { shuffle } from "../seeded-shuffle";
import { balancedSample } from "./sampling";
import { verdict, type Detector, type JudgeTask } from "./tasks";

/**
 * Runs detectors (evaluators) over a benchmark sample and scores their verdicts against the
 * labels. CODE detectors run without a judge; LLM detectors run once per judge model.
 */

/** Up to `limit` items: whole groups for "pairs" (so both answers to a question come together), else half per class. */
export function sampleItems(task: Pick<JudgeTask, "sampling">, items: readonly BenchItem[], limit: number, seed: number): BenchItem[] {
  if (task.sampling === "balanced") return balancedSample(items, limit, seed);
  const groups = new Map<string, BenchItem[]>();
  for (const item of items) groups.set(item.group, [...(groups.get(item.group) ?? []), item]);
  const picked: BenchItem[] = [];
  for (const group of shuffle([...groups.keys()], seed)) {
    const members = groups.get(group) ?? [];
    if (picked.length + members.length > limit) break;
    picked.push(...members);
  }
  return picked;
}

export interface ItemOutcome {
  id: string;
  label: boolean;
  predicted?: boolean;
  score: number;
  verdict: string;
  rating?: number;
}

export interface DetectorResult {
  task: string;
  evaluator: string;
  kind: "CODE" | "LLM";
  /** "local (llama.cpp smollm2-135m)", "openai (gpt-4o-mini)", or "-" for CODE. */
  judge: string;
  metrics: BinaryMetrics;
  /** The same with 95 % intervals and balanced accuracy (what qualification.json records). */
  figures: JudgeFigures;
  /** What a qualification from this run is tied to (see Evaluator.judge). */
  judgeKind?: JudgeKind;
  version?: string;
  /** For 1-5 rated judges: the metrics had "unfaithful" been "rating <= t", for t = 1..4. */
  byThreshold?: Record<string, BinaryMetrics>;
  /** For rated judges: how often each rating was given, per human label. */
  ratings?: Record<string, { positive: number; negative: number }>;
  wallMs: number;
  items: ItemOutcome[];
}

function ratingOf(score: EvalScore): number | undefined {
  const rating = score.details?.rating;
  return typeof rating === "number" ? rating : undefined;
}

function ratingAnalysis(items: readonly ItemOutcome[]): Pick<DetectorResult, "byThreshold" | "ratings"> {
  const rated = items.filter((i) => i.rating !== undefined);
  if (rated.length === 0) return {};
  const ratings: Record<string, { positive: number; negative: number }> = {};
  for (const r of [1, 2, 3, 4, 5]) {
    ratings[r] = {
      positive: rated.filter((i) => i.rating === r && i.label).length,
      negative: rated.filter((i) => i.rating === r && !i.label).length,
    };
  }
  const byThreshold: Record<string, BinaryMetrics> = {};
  for (const t of [1, 2, 3, 4]) {
    byThreshold[`<=${t}`] = binaryMetrics(
      items.map((i) => ({ label: i.label, predicted: i.rating === undefined ? undefined : i.rating <= t })),
    );
  }
  return { ratings, byThreshold };
}

export interface RunDetectorOptions {
  judge?: JudgeModel;
  embedder?: Embedder;
  judgeName: string;
  concurrency: number;
  signal?: AbortSignal;
  onItem?: () => void;
}

export async function runDetector(
  task: JudgeTask,
  detector: Detector,
  items: readonly BenchItem[],
  options: RunDetectorOptions,
): Promise<DetectorResult> {
  const started = performance.now();
  const outcomes = await mapPool(items, options.concurrency, async (item): Promise<ItemOutcome> => {
    const score = await detector.evaluator.evaluate(task.toCase(item), {
      judge: options.judge,
      embedder: options.embedder,
      signal: options.signal,
    });
    options.onItem?.();
    const rating = ratingOf(score);
    return {
      id: item.id,
      label: item.label,
      predicted: verdict(score, detector),
      score: score.score,
      verdict: score.label,
      ...(rating !== undefined ? { rating } : {}),
    };
  });
  const predictions: Prediction[] = outcomes.map((o) => ({ label: o.label, predicted: o.predicted }));
  return {
    task: task.name,
    evaluator: detector.evaluator.name,
    kind: detector.evaluator.kind,
    judge: detector.evaluator.kind === "CODE" ? "-" : options.judgeName,
    metrics: binaryMetrics(predictions),
    figures: judgeFigures(predictions),
    ...(detector.evaluator.judge ? { judgeKind: detector.evaluator.judge.kind, version: detector.evaluator.judge.version } : {}),
    ...ratingAnalysis(outcomes),
    wallMs: Math.round(performance.now() - started),
    items: outcomes,
  };
}
