import fs from "node:fs";
import path from "node:path";
import type { ModelDescription } from "@/lib/llm/provider";
import { publishedFor, REFERENCE_POINTS, type PublishedFigure } from "./published";
import type { BenchName, BenchSummary, ItemResult } from "./types";

export interface ModelBenchReport {
  runId: string;
  startedAt: string;
  wallMs: number;
  model: ModelDescription;
  settings: {
    benchmarks: BenchName[];
    limit?: number;
    seed: number;
    concurrency: number;
    promptStyle: string;
    mmluShots: number;
    gsm8kShots: number;
    humanEvalTimeoutMs: number;
    benchDataDir: string;
  };
  /** How HumanEval code was isolated on this machine (python-runner's detection). */
  sandbox?: { interpreter: string; network: string; user: string };
  results: Array<{ summary: BenchSummary; published?: PublishedFigure; reference: string; items: ItemResult[] }>;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}`;

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}

function pad(rows: string[][]): string {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, col) => cell.padEnd(widths[col]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** The terminal table: one row per benchmark, measured with its interval, chance, published. */
export function formatTable(report: ModelBenchReport): string {
  const rows = [["benchmark", "metric", "n", "score %", "95% CI", "chance %", "unparsed", "errors", "wall", "published %"]];
  for (const { summary: s, published } of report.results) {
    rows.push([
      s.benchmark,
      s.metric,
      String(s.n),
      pct(s.accuracy),
      `${pct(s.ci95.low)}–${pct(s.ci95.high)}`,
      pct(s.chance),
      String(s.unparsed),
      String(s.errors),
      formatDuration(s.wallMs),
      published ? `${pct(published.value)}*` : "–",
    ]);
  }
  const notes = report.results
    .filter((r) => r.published)
    .map(({ summary, published }) => `  * ${summary.benchmark}: ${published!.model}, ${published!.setup}. ${published!.source}`);
  const references = report.results.map(({ summary, reference }) => `  ${summary.benchmark}: ${reference}`);
  return [
    `Model ${report.model.provider}/${report.model.modelName} · run ${report.runId} · seed ${report.settings.seed} · ${report.settings.promptStyle} prompts`,
    pad(rows),
    ...(notes.length > 0 ? ["Published (measured differently; see the README):", ...notes] : []),
    "Other models, for scale:",
    ...references,
  ].join("\n");
}

export function reportEntry(modelName: string, summary: BenchSummary, items: ItemResult[]): ModelBenchReport["results"][number] {
  const published = publishedFor(modelName, summary.benchmark);
  return { summary, ...(published ? { published } : {}), reference: REFERENCE_POINTS[summary.benchmark], items };
}

/** Writes `<dir>/<model>.json` (replaced by the next run of that model); returns its path. */
export function writeReport(report: ModelBenchReport, dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const slug = `${report.model.provider}-${report.model.modelName}`.replace(/[^A-Za-z0-9._-]+/g, "_");
  const file = path.join(dir, `${slug}.json`);
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(report, null, 2)}\n`);
  fs.renameSync(`${file}.tmp`, file);
  return file;
}
