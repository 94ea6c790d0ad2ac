import fs from "node:fs";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import type { EvaluatorKind } from "../evaluators/types";
import { judgeBarSchema } from "../judges/judge-gating";
import type { ExampleResult, MetricSummary, Regression, SplitMean } from "./types";

/**
 * The quality gate: absolute floors per metric (evals/thresholds.json) and the committed
 * baseline (evals/baseline.json). A metric fails when its mean is below its floor, or when it
 * dropped from the baseline by more than a tolerance that shrinks with the sample: `z`
 * standard errors of a [0,1] score, `z·sqrt(p(1−p)/n)`, never below `minTolerance`, with the
 * baseline mean shrunk "plus four" (p = (b·n + 2)/(n + 4)) so a perfect baseline still allows
 * for noise (with b = 1 the plain formula gives 0, and one flaky example would fail the
 * build). Baseline and run are compared on the examples they share, so one baseline serves
 * the full suite, `--ci` and `--filter` alike.
 */

export const thresholdsSchema = z.strictObject({
  /** Standard errors a mean may fall below the baseline before it fails. */
  toleranceZ: z.number().positive(),
  minTolerance: z.number().min(0).max(1),
  /** A per-example score at or above this passes (for regressions and JUnit). */
  passScore: z.number().min(0).max(1),
  metrics: z.record(z.string(), z.strictObject({ min: z.number().min(0).max(1) })),
  /** Per judge metric: the benchmark it is qualified on and the figures it must reach there. */
  judges: z.record(z.string(), judgeBarSchema).default({}),
});
export type Thresholds = z.infer<typeof thresholdsSchema>;

export const baselineSchema = z.strictObject({
  runId: z.string(),
  createdAt: z.string(),
  settings: z.record(z.string(), z.unknown()),
  metrics: z.record(z.string(), z.strictObject({ mean: z.number(), n: z.number().int() })),
  /** exampleId → metric → score. */
  examples: z.record(z.string(), z.record(z.string(), z.number())),
});
export type Baseline = z.infer<typeof baselineSchema>;

export function readJsonFile<T>(file: string, schema: z.ZodType<T>, what: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new AppError("config_invalid", `Cannot read the ${what} ${file}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new AppError("config_invalid", `The ${what} ${file} is invalid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The metric a broken agent run counts against (the run threw instead of answering). */
export const RUN_OK_METRIC = "agent.run_ok";

interface MetricScores {
  kind: EvaluatorKind;
  scores: Map<string, number>;
  errors: number;
}

function collect(examples: ExampleResult[]): Map<string, MetricScores> {
  const metrics = new Map<string, MetricScores>();
  const entry = (name: string, kind: EvaluatorKind) => {
    let m = metrics.get(name);
    if (!m) metrics.set(name, (m = { kind, scores: new Map(), errors: 0 }));
    return m;
  };
  for (const example of examples) {
    entry(RUN_OK_METRIC, "CODE").scores.set(example.exampleId, example.error ? 0 : 1);
    for (const [name, score] of Object.entries(example.scores)) {
      const m = entry(name, score.kind);
      if (score.error) m.errors++;
      else m.scores.set(example.exampleId, score.score);
    }
  }
  return metrics;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

export interface GateOptions {
  /** More than this many pass → fail regressions fail the run. Unset: listed only. */
  failOnRegressions?: number;
  /** Metrics reported but not gated, with the reason (an unqualified judge's metrics). */
  ungated?: ReadonlyMap<string, string>;
  /**
   * A floored metric without data fails (default). A run narrowed on purpose (`--filter`,
   * `--limit`) leaves metrics without examples, and reports them as no data instead.
   */
  requireData?: boolean;
}

export interface GateResult {
  metrics: MetricSummary[];
  regressions: Regression[];
  regressionLimit?: number;
  passed: boolean;
}

/** Mean and n over the examples of one split, when it has any. */
function splitMean(m: MetricScores, split: ReadonlyMap<string, string | undefined>, which: "dev" | "test"): SplitMean | undefined {
  const values = [...m.scores].filter(([id]) => split.get(id) === which).map(([, v]) => v);
  return values.length > 0 ? { mean: mean(values), n: values.length } : undefined;
}

/**
 * Floors, baseline and regressions, per metric. A metric with a floor that produced no score
 * fails ("no data"): a renamed metric or an evaluator that always errors must not pass by
 * vanishing. A metric in `ungated` is reported and never fails the run.
 */
export function applyGate(
  examples: ExampleResult[],
  thresholds: Thresholds,
  baseline: Baseline | undefined,
  options: GateOptions = {},
): GateResult {
  const summaries: MetricSummary[] = [];
  const regressions: Regression[] = [];
  const split = new Map(examples.map((e) => [e.exampleId, e.split]));
  const collected = collect(examples);
  // A floored metric no evaluator reported at all is "no data" too.
  for (const metric of Object.keys(thresholds.metrics))
    if (!collected.has(metric)) collected.set(metric, { kind: "CODE", scores: new Map(), errors: 0 });
  for (const [metric, m] of [...collected].sort(([a], [b]) => a.localeCompare(b))) {
    const ids = [...m.scores.keys()];
    const threshold = thresholds.metrics[metric]?.min;
    const dev = splitMean(m, split, "dev");
    const test = splitMean(m, split, "test");
    const summary: MetricSummary = {
      metric,
      kind: m.kind,
      n: ids.length,
      mean: ids.length ? mean([...m.scores.values()]) : 0,
      status: "pass",
      errors: m.errors,
      ...(dev ? { dev } : {}),
      ...(test ? { test } : {}),
    };
    if (threshold !== undefined) summary.threshold = threshold;
    const ungated = options.ungated?.get(metric);
    if (ids.length === 0) {
      const why = m.errors ? `no data: ${m.errors} evaluator errors, no scores` : "no data: no example was scored";
      const fails = threshold !== undefined && !ungated && options.requireData !== false;
      summaries.push({ ...summary, status: fails ? "fail" : "no-data", reason: why });
      continue;
    }
    const reasons: string[] = [];
    if (threshold !== undefined && summary.mean < threshold) reasons.push(`below threshold ${threshold.toFixed(2)}`);
    reasons.push(...compareWithBaseline(metric, m, summary, baseline, thresholds, regressions));
    if (ungated) {
      summary.status = "unqualified";
      summary.reason = ungated;
    } else if (reasons.length > 0) {
      summary.status = "fail";
      summary.reason = reasons.join("; ");
    }
    summaries.push(summary);
  }
  const gated = regressions.filter((r) => !options.ungated?.has(r.metric));
  const tooManyRegressions = options.failOnRegressions !== undefined && gated.length > options.failOnRegressions;
  return {
    metrics: summaries,
    regressions,
    ...(options.failOnRegressions !== undefined ? { regressionLimit: options.failOnRegressions } : {}),
    passed: summaries.every((s) => s.status !== "fail") && !tooManyRegressions,
  };
}

/** Sets the summary's baseline figures, collects the metric's pass → fail regressions, and says why it dropped too far, if it did. */
function compareWithBaseline(
  metric: string,
  m: MetricScores,
  summary: MetricSummary,
  baseline: Baseline | undefined,
  thresholds: Thresholds,
  regressions: Regression[],
): string[] {
  const shared = [...m.scores.keys()].filter((id) => baseline?.examples[id]?.[metric] !== undefined);
  if (!baseline || shared.length === 0) return [];
  const b = baselineMean(baseline, metric, shared);
  const c = mean(shared.map((id) => m.scores.get(id)!));
  const tolerance = toleranceFor(b, shared.length, thresholds);
  summary.baseline = b;
  summary.delta = c - b;
  summary.tolerance = tolerance;
  for (const id of shared) {
    const before = baseline.examples[id]![metric]!;
    const now = m.scores.get(id)!;
    if (before >= thresholds.passScore && now < thresholds.passScore)
      regressions.push({ exampleId: id, metric, baselineScore: before, score: now });
  }
  return c - b < -tolerance
    ? [`dropped ${(b - c).toFixed(3)} from baseline ${b.toFixed(3)} (tolerance ${tolerance.toFixed(3)}, n=${shared.length})`]
    : [];
}

/**
 * The baseline's mean for `metric` over the `shared` examples. The per-example scores place a
 * subset; the stored per-metric mean is authoritative for the level: if it differs from the
 * mean of the stored per-example scores (someone raised it by hand, or an older baseline), the
 * difference is carried over. Whichever of the two views is higher counts, so editing either
 * the means or the per-example scores upward makes the gate stricter, never looser.
 */
function baselineMean(baseline: Baseline, metric: string, shared: string[]): number {
  const perExample = mean(shared.map((id) => baseline.examples[id]![metric]!));
  const stored = baseline.metrics[metric]?.mean;
  if (stored === undefined) return perExample;
  const all = Object.values(baseline.examples).flatMap((scores) => (scores[metric] === undefined ? [] : [scores[metric]]));
  const offset = all.length > 0 ? stored - mean(all) : 0;
  // Stored means are rounded to 4 decimals.
  return Math.abs(offset) < 1e-3 ? perExample : Math.max(perExample, perExample + offset);
}

/** How far below baseline mean `b` (over `n` shared examples) a mean may fall and still pass. */
export function toleranceFor(b: number, n: number, thresholds: Pick<Thresholds, "toleranceZ" | "minTolerance">): number {
  const clamped = Math.min(1, Math.max(0, b));
  const p = (clamped * n + 2) / (n + 4);
  return Math.max(thresholds.minTolerance, thresholds.toleranceZ * Math.sqrt((p * (1 - p)) / n));
}

/** A baseline that accepts this run's scores (`--update-baseline`), merged over the old one. */
export function baselineFrom(runId: string, settings: Record<string, unknown>, examples: ExampleResult[], previous?: Baseline): Baseline {
  const perExample: Baseline["examples"] = { ...(previous?.examples ?? {}) };
  for (const example of examples) {
    const scores: Record<string, number> = { [RUN_OK_METRIC]: example.error ? 0 : 1 };
    for (const [name, score] of Object.entries(example.scores)) if (!score.error) scores[name] = score.score;
    perExample[example.exampleId] = scores;
  }
  const byMetric = new Map<string, number[]>();
  for (const scores of Object.values(perExample)) {
    for (const [name, value] of Object.entries(scores)) byMetric.set(name, [...(byMetric.get(name) ?? []), value]);
  }
  const metrics: Baseline["metrics"] = {};
  for (const [name, values] of [...byMetric].sort(([a], [b]) => a.localeCompare(b)))
    metrics[name] = { mean: Number(mean(values).toFixed(4)), n: values.length };
  return { runId, createdAt: new Date().toISOString(), settings, metrics, examples: perExample };
}
