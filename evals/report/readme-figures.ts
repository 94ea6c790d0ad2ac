import type { JudgeBar } from "../judges/judge-gating";
import type { QualificationEntry } from "../judges/qualification";
import type { Baseline, Thresholds } from "../runner/gate";

/**
 * The README's eval figures, rendered from the files they describe (evals/baseline.json, the
 * accepted run with every example's scores, and evals/thresholds.json), so the README cannot
 * drift from them: `npm run docs:figures` writes these blocks between their markers, and a
 * unit test fails when the README's copy differs.
 */

/** The gate's constants, as the README states them. */
export function gateConstantsBlock(thresholds: Thresholds): string {
  return (
    `z = ${thresholds.toleranceZ}, never below ${thresholds.minTolerance}; ` +
    `a per-example score of ${thresholds.passScore} or more passes`
  );
}

export interface FigureGroup {
  /** Column heading. */
  title: string;
  /** The examples whose baseline scores the column averages. */
  ids: ReadonlySet<string>;
}

const mean = (values: readonly number[]) => values.reduce((s, v) => s + v, 0) / values.length;

/** Mean and n of one metric over a group's examples in the baseline; "–" when none has it. */
function cell(baseline: Baseline, metric: string, ids: ReadonlySet<string>): string {
  const values = Object.entries(baseline.examples).flatMap(([id, scores]) =>
    ids.has(id) && scores[metric] !== undefined ? [scores[metric]] : [],
  );
  return values.length === 0 ? "–" : `${mean(values).toFixed(3)} (n = ${values.length})`;
}

/** One row per metric of the baseline: its mean in each group, and its floor. */
export function baselineTableBlock(baseline: Baseline, thresholds: Thresholds, groups: readonly FigureGroup[]): string {
  const metrics = Object.keys(baseline.metrics).sort((a, b) => a.localeCompare(b));
  const header = `| metric | ${groups.map((g) => g.title).join(" | ")} | floor |`;
  const rule = `| --- | ${groups.map(() => "---").join(" | ")} | --- |`;
  const rows = metrics.map(
    (metric) =>
      `| \`${metric}\` | ${groups.map((g) => cell(baseline, metric, g.ids)).join(" | ")} | ${thresholds.metrics[metric]?.min ?? "–"} |`,
  );
  return [header, rule, ...rows].join("\n");
}

const withInterval = (value: number, [low, high]: readonly [number, number]) =>
  `${value.toFixed(2)} (${low.toFixed(2)}–${high.toFixed(2)})`;

/** Whether an entry meets its bar: "gates", "below the bar", or "informational" (not the benchmark it is qualified on). */
function standing(entry: QualificationEntry, bar: JudgeBar | undefined): string {
  if (!bar || bar.task !== entry.task) return "informational";
  const below = Object.entries(bar.min).some(([key, min]) => min !== undefined && entry[key as keyof JudgeBar["min"]] < min);
  return below ? "unqualified" : "qualified";
}

/** The judges' test-half figures from qualification.json, with 95 % intervals and whether they gate. */
export function judgesTableBlock(entries: readonly QualificationEntry[], bars: Readonly<Record<string, JudgeBar>>): string {
  const header = "| judge | kind | model | benchmark (test half) | n | precision | recall | F1 | balanced accuracy | bar | standing |";
  const rule = "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |";
  const rows = entries.map((e) => {
    const bar = bars[e.judge];
    const barText =
      bar && bar.task === e.task
        ? Object.entries(bar.min)
            .map(([k, v]) => `${k} ≥ ${v}`)
            .join(", ")
        : "–";
    return `| \`${e.judge}\` | ${e.kind} | ${e.model} | ${e.task} | ${e.n} | ${withInterval(e.precision, e.intervals.precision)} | ${withInterval(e.recall, e.intervals.recall)} | ${withInterval(e.f1, e.intervals.f1)} | ${withInterval(e.balancedAccuracy, e.intervals.balancedAccuracy)} | ${barText} | ${standing(e, bar)} |`;
  });
  return [header, rule, ...rows].join("\n");
}

/** Replaces the text between `<!-- figures:<name> -->` and `<!-- /figures:<name> -->`. */
export function replaceBlock(document: string, name: string, content: string): string {
  const open = `<!-- figures:${name} -->`;
  const close = `<!-- /figures:${name} -->`;
  const start = document.indexOf(open);
  const end = document.indexOf(close);
  if (start < 0 || end < start) throw new RangeError(`the document has no ${open} … ${close} block`);
  return `${document.slice(0, start + open.length)}\n${content}\n${document.slice(end)}`;
}
