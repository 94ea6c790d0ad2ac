import type { EvalRunResult, ExampleResult, MetricStatus, ScoredMetric } from "../runner/types";

/**
 * Number and verdict formatting shared by every report writer, so the terminal table, the HTML
 * report and the JUnit XML never disagree about what a score of 0.49 or a missing baseline means.
 */

/** An example fails a metric below this score (the evaluators' scores are in [0, 1]). */
export const EXAMPLE_PASS_SCORE = 0.5;

/** Shown where a value does not exist (no threshold, no baseline, no data). */
export const MISSING = "—";

export function formatScore(value: number | undefined): string {
  return value !== undefined && Number.isFinite(value) ? value.toFixed(3) : MISSING;
}

/** Always signed, so "+0.000" (unchanged) reads differently from a missing delta. */
export function formatDelta(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return MISSING;
  // -0.0004 would print as "-0.000"; call it unchanged instead.
  const rounded = Number(value.toFixed(3));
  return rounded < 0 ? rounded.toFixed(3) : `+${Math.abs(rounded).toFixed(3)}`;
}

export function formatStatus(status: MetricStatus): string {
  if (status === "pass") return "PASS";
  if (status === "fail") return "FAIL";
  if (status === "unqualified") return "UNQUALIFIED";
  return MISSING;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return MISSING;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} m ${String(Math.round(seconds - minutes * 60)).padStart(2, "0")} s`;
}

export function formatCost(usd: number | undefined): string {
  return usd !== undefined && Number.isFinite(usd) ? `$${usd.toFixed(4)}` : MISSING;
}

/** A judge error is "could not judge", not a low score: it never counts as a failure. */
export function isFailingScore(score: ScoredMetric): boolean {
  return score.error === undefined && score.score < EXAMPLE_PASS_SCORE;
}

/** Metric names this example fails, in the order the runner recorded them. */
export function failedMetricsOf(example: ExampleResult): string[] {
  return Object.entries(example.scores)
    .filter(([, score]) => isFailingScore(score))
    .map(([metric]) => metric);
}

/** Whether a reader should look at this example: its run broke or it fails some metric. */
export function needsAttention(example: ExampleResult): boolean {
  return example.error !== undefined || failedMetricsOf(example).length > 0;
}

/** Examples needing attention first; otherwise the runner's order (a stable sort). */
export function examplesFailingFirst(examples: readonly ExampleResult[]): ExampleResult[] {
  return examples
    .map((example, index) => ({ example, index, rank: needsAttention(example) ? 0 : 1 }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ example }) => example);
}

/** One line saying why the gate passed or failed. */
export function verdictLine(result: EvalRunResult): string {
  const failed = result.metrics.filter((m) => m.status === "fail").map((m) => m.metric);
  if (result.passed) {
    return `PASSED: ${result.metrics.length} metrics checked, none failed its threshold or baseline`;
  }
  const causes = [
    failed.length > 0 ? `${failed.length} metric${failed.length === 1 ? "" : "s"} failed (${failed.join(", ")})` : "",
    result.regressions.length > 0
      ? `${result.regressions.length} regression${result.regressions.length === 1 ? "" : "s"} vs baseline${result.regressionLimit !== undefined ? ` (at most ${result.regressionLimit} allowed)` : ""}`
      : "",
  ].filter((cause) => cause !== "");
  return `FAILED: ${causes.length > 0 ? causes.join("; ") : "the gate did not pass"}`;
}
