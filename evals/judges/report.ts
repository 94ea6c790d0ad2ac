import fs from "node:fs";
import path from "node:path";
import type { DetectorResult } from "./run-judges";

/** The terminal table and the JSON file of `npm run eval:judges`. */

const fixed = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "-");

export interface SkippedJudge {
  task: string;
  evaluator: string;
  judge: string;
  reason: string;
}

export function formatTable(results: readonly DetectorResult[], skipped: readonly SkippedJudge[] = []): string {
  const header = ["task", "evaluator", "kind", "judge", "n", "err", "precision", "recall", "F1", "accuracy", "bal.acc", "flagged"];
  const rows = results.map((r) => [
    r.task,
    r.evaluator,
    r.kind,
    r.judge,
    String(r.metrics.n),
    String(r.metrics.errors),
    fixed(r.metrics.precision),
    fixed(r.metrics.recall),
    fixed(r.metrics.f1),
    fixed(r.metrics.accuracy),
    fixed(r.figures.balancedAccuracy),
    // Share of items the detector flagged: 0 or 1 means it says the same thing every time.
    fixed(r.metrics.n === 0 ? NaN : (r.metrics.tp + r.metrics.fp) / r.metrics.n),
  ]);
  for (const s of skipped) rows.push([s.task, s.evaluator, "LLM", s.judge, "-", "-", "-", "-", "-", "-", "-", s.reason]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i >= 4 && i <= 10 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

export interface JudgesReport {
  createdAt: string;
  command: string;
  benchDataDir: string;
  seed: number;
  limit: number;
  wallMs: number;
  references: Record<string, string>;
  results: DetectorResult[];
  skipped: SkippedJudge[];
}

export function writeReport(file: string, report: JudgesReport): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
