import type { EvalRunResult, MetricSummary } from "../runner/types";
import { formatDelta, formatDuration, formatScore, formatStatus, verdictLine } from "./format";
import { agreementLines } from "./human-agreement";

/** The table `npm run eval` prints at the end: one row a metric, then what the gate decided. */

export interface SummaryTableOptions {
  /** ANSI colours; the caller passes `process.stdout.isTTY && !process.env.NO_COLOR`. */
  color: boolean;
}

/** Regressions listed by name under the table; the rest are counted (the HTML report has them all). */
export const MAX_LISTED_REGRESSIONS = 10;

const ANSI = { red: "\x1b[31m", green: "\x1b[32m", yellow: "\x1b[33m", dim: "\x1b[2m", bold: "\x1b[1m", reset: "\x1b[0m" } as const;
type AnsiStyle = Exclude<keyof typeof ANSI, "reset">;

const HEADER = ["metric", "kind", "n", "err", "score", "dev", "test", "threshold", "baseline", "delta", "status", "reason"] as const;
/** n … delta are numbers: right-aligned so the decimal points line up. */
const RIGHT_ALIGNED = new Set([2, 3, 4, 5, 6, 7, 8, 9]);
const DELTA = HEADER.indexOf("delta");
const STATUS = HEADER.indexOf("status");
const REASON = HEADER.indexOf("reason");

/**
 * Example ids and reasons come from dataset files: drop control characters so a hostile id
 * cannot move the cursor or recolour the terminal.
 */
function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is this regex's job
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ");
}

function metricRow(m: MetricSummary): string[] {
  return [
    m.metric,
    m.kind,
    String(m.n),
    String(m.errors),
    m.n > 0 ? formatScore(m.mean) : formatScore(undefined),
    formatScore(m.dev?.mean),
    formatScore(m.test?.mean),
    formatScore(m.threshold),
    formatScore(m.baseline),
    formatDelta(m.delta),
    formatStatus(m.status),
    m.reason ?? (m.status === "no-data" ? "no example was scored on this metric" : ""),
  ].map(terminalSafe);
}

function statusStyle(cell: string): AnsiStyle {
  if (cell === "PASS") return "green";
  if (cell === "FAIL") return "red";
  return "dim";
}

function deltaStyle(m: MetricSummary): AnsiStyle | undefined {
  return m.delta !== undefined && Number(m.delta.toFixed(3)) < 0 ? "yellow" : undefined;
}

export function formatSummaryTable(result: EvalRunResult, options: SummaryTableOptions): string {
  const paint = (text: string, style: AnsiStyle | undefined) =>
    options.color && style !== undefined ? `${ANSI[style]}${text}${ANSI.reset}` : text;

  const rows = result.metrics.map(metricRow);
  const widths = HEADER.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  // Pad first, colour after: escape codes have no width on screen but do have length.
  const pad = (cell: string, i: number) => (RIGHT_ALIGNED.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!));
  const join = (cells: string[]) => cells.join("  ").trimEnd();

  const lines = [
    join(HEADER.map((h, i) => paint(pad(h, i), "bold"))),
    join(widths.map((w) => "-".repeat(w))),
    ...result.metrics.map((m, r) =>
      join(
        rows[r]!.map((cell, i) => {
          const padded = pad(cell, i);
          if (i === DELTA) return paint(padded, deltaStyle(m));
          if (i === STATUS) return paint(padded, statusStyle(cell));
          if (i === REASON && m.status === "fail") return paint(padded, "red");
          return padded;
        }),
      ),
    ),
  ];
  if (result.metrics.length === 0) lines.push("(no metrics: nothing was scored)");

  return [...lines, "", ...footerLines(result, paint)].join("\n");
}

function footerLines(result: EvalRunResult, paint: (text: string, style: AnsiStyle | undefined) => string): string[] {
  const broken = result.examples.filter((e) => e.error !== undefined).length;
  const lines = [
    `examples: ${result.examples.length} run, ${broken} with a broken run (agent error)`,
    `regressions (pass → fail vs baseline): ${result.regressions.length}`,
  ];
  for (const r of result.regressions.slice(0, MAX_LISTED_REGRESSIONS)) {
    lines.push(`  ${terminalSafe(r.exampleId)} ${terminalSafe(r.metric)} ${formatScore(r.baselineScore)}→${formatScore(r.score)}`);
  }
  if (result.regressions.length > MAX_LISTED_REGRESSIONS) {
    lines.push(`  … and ${result.regressions.length - MAX_LISTED_REGRESSIONS} more (see the HTML report)`);
  }
  if (result.agreement?.some((a) => a.n > 0)) {
    lines.push("agreement with people on production items (Cohen's kappa):");
    for (const line of agreementLines(result.agreement)) lines.push(`  ${terminalSafe(line)}`);
  }
  lines.push(`wall time: ${formatDuration(result.wallMs)}`);
  lines.push(paint(terminalSafe(verdictLine(result)), result.passed ? "green" : "red"));
  return lines;
}
