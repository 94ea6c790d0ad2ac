import fs from "node:fs";
import path from "node:path";
import type { stats } from "../bench-stats";
import type { SweepPoint } from "./measure";

type Stats = ReturnType<typeof stats>;

export interface StoreReport {
  name: string;
  settings: string;
  buildMs: number;
  search: Stats;
  embedAndSearch: Stats;
  recall: number;
  sweep: SweepPoint[];
  diskBytes: number;
  /** hnswlib: index + docstore as loaded into each app process; PostgreSQL: PSS of the server's processes. */
  memoryBytes?: number;
}

export interface ScaleReport {
  n: number;
  real: number;
  testQueries: number;
  devQueries: number;
  embed: Stats;
  target: number;
  reports: StoreReport[];
}

const mib = (bytes: number | undefined) => (bytes === undefined ? "-" : `${(bytes / 1024 / 1024).toFixed(0)} MiB`);
const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;

/** The side-by-side table on stdout, the figures as JSON in `out`. */
export function printReport(report: ScaleReport, out: string): void {
  const [a, b] = report.reports;
  if (!a || !b) return;
  console.log(`\nDev sweep (${report.devQueries} SciFact train queries; recall@10 vs exact, search p50):`);
  for (const r of report.reports) {
    console.log(`  ${r.name}: ${r.sweep.map((p) => `ef ${p.ef}: ${p.recall.toFixed(3)} / ${ms(p.p50)}`).join(", ")}`);
  }
  const rows: string[][] = [
    ["", a.name, b.name],
    ["settings", a.settings, b.settings],
    [`build / ingest (${report.n.toLocaleString("en")} rows)`, `${(a.buildMs / 1000).toFixed(1)} s`, `${(b.buildMs / 1000).toFixed(1)} s`],
    ["search p50 / p95", `${ms(a.search.p50)} / ${ms(a.search.p95)}`, `${ms(b.search.p50)} / ${ms(b.search.p95)}`],
    [
      "embed + search p50 / p95",
      `${ms(a.embedAndSearch.p50)} / ${ms(a.embedAndSearch.p95)}`,
      `${ms(b.embedAndSearch.p50)} / ${ms(b.embedAndSearch.p95)}`,
    ],
    [`recall@10 vs exact (${report.testQueries} test queries)`, a.recall.toFixed(4), b.recall.toFixed(4)],
    ["memory", `${mib(a.memoryBytes)} (in every app process)`, `${mib(b.memoryBytes)} (server PSS, shared)`],
    ["disk", mib(a.diskBytes), mib(b.diskBytes)],
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  console.log(`\n${report.n.toLocaleString("en")} rows (${report.real} real SciFact, ${report.n - report.real} synthetic), k=10`);
  for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c]!)).join("  "));
  console.log(`query embedding alone: p50 ${ms(report.embed.p50)}, p95 ${ms(report.embed.p95)}`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify({ ...report, at: new Date().toISOString() }, null, 2)}\n`);
  console.log(`Figures: ${out}`);
}
