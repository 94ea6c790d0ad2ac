import fs from "node:fs";
import path from "node:path";
import type { ChaosContext } from "./context";
import type { ScenarioName } from "./options";
import type { Figure } from "./scenario";

export interface ScenarioReport {
  name: ScenarioName;
  ok: boolean;
  seconds: number;
  failures: string[];
  lines: string[];
  figures: Record<string, Figure>;
  /** For a failed scenario: the last lines of each server it started. */
  serverOutput?: Record<string, string>;
}

export interface ChaosReport {
  ok: boolean;
  startedAt: string;
  wallSeconds: number;
  short: boolean;
  seed: number;
  capacity: { maxConcurrentTurns: number; maxQueuedTurns: number; queueTimeoutMs: number; turnDeadlineMs: number };
  sizes: ChaosContext["options"]["sizes"];
  scenarios: Record<string, Omit<ScenarioReport, "name" | "lines">>;
}

export function buildReport(ctx: ChaosContext, startedAt: Date, results: readonly ScenarioReport[]): ChaosReport {
  return {
    ok: results.every((r) => r.ok),
    startedAt: startedAt.toISOString(),
    wallSeconds: Math.round((Date.now() - startedAt.getTime()) / 100) / 10,
    short: ctx.options.short,
    seed: ctx.options.seed,
    capacity: ctx.config.capacity,
    sizes: ctx.options.sizes,
    scenarios: Object.fromEntries(results.map(({ name, lines: _lines, ...rest }) => [name, rest])),
  };
}

export function writeReport(file: string, report: ChaosReport): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}

export const formatSeconds = (seconds: number) =>
  seconds < 60 ? `${seconds.toFixed(1)} s` : `${Math.floor(seconds / 60)} min ${String(Math.round(seconds % 60)).padStart(2, "0")} s`;

/** The terminal table: one block of figure lines per scenario, then why each failure failed. */
export function formatTable(results: readonly ScenarioReport[]): string {
  const header = ["scenario", "result", "time", "figures"];
  const widths = [Math.max(10, ...results.map((r) => r.name.length)), 6, 10];
  const row = (cells: string[]) => cells.map((cell, i) => (i < widths.length ? cell.padEnd(widths[i]!) : cell)).join("  ");
  const rule = row(widths.map((w) => "-".repeat(w)).concat("-".repeat(60)));
  const blocks = results.map((r) => {
    const [first = "", ...rest] = r.lines;
    return [row([r.name, r.ok ? "PASS" : "FAIL", formatSeconds(r.seconds), first]), ...rest.map((line) => row(["", "", "", line]))].join(
      "\n",
    );
  });
  const failures = results.flatMap((r) => r.failures.map((why) => `  ${r.name}: ${why}`));
  return [row(header), rule, blocks.join(`\n${rule}\n`), rule, ...(failures.length > 0 ? ["", "Failed checks:", ...failures] : [])].join(
    "\n",
  );
}
