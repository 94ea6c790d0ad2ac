/**
 * `npm run alerts:simulate`: how the default alert rules (monitoring/alerts.yaml) behave on
 * simulated production traffic, seeded so the figures reproduce. Per rule: a temp trace log with
 * the history its baseline needs, backtested as `npm run alerts -- --backtest` does, once
 * unchanged (false alerts) and once with the regression the rule is for injected for 4 windows
 * (detection delay, and windows from the injection's end to the resolve). The traffic's
 * distributions: lib/monitoring/alert-simulation.ts.
 *
 *   npm run alerts:simulate                              every default rule, 1 day evaluated
 *   npm run alerts:simulate -- --rule error-rate --days 0.5
 */
import path from "node:path";
import { z } from "zod";
import { simulateRule, simulatedRuleNames, type RuleSimulation } from "../lib/monitoring/alert-simulation";
import { formatDuration } from "../lib/monitoring/duration";
import { loadAlertRules } from "../lib/monitoring/load-alert-rules";
import { flagsOrUsage, runCli } from "./run-cli";

const USAGE = `Usage: npm run alerts:simulate -- [options]
  --rule <name>     only this rule (repeatable as a comma-separated list; default: every default rule)
  --days <n>        evaluated range in days after each rule's baseline history (default 1; at least 12 windows)
  --seed <n>        random seed (default 1)
  --rules <file>    the rules file (default monitoring/alerts.yaml)
  --json            machine-readable output`;

const flagsSchema = z.object({
  rule: z.string().optional(),
  days: z.coerce.number().positive().default(1),
  seed: z.coerce.number().int().default(1),
  rules: z.string().default("monitoring/alerts.yaml"),
  json: z.boolean().default(false),
  help: z.boolean().default(false),
});

const windows = (n: number | undefined) => (n === undefined ? "never" : String(n));

function format(results: readonly RuleSimulation[]): string {
  const header = [
    "rule",
    "window",
    "requests evaluated",
    "false alerts",
    "injected change",
    "detection delay (windows)",
    "resolved after (windows)",
  ];
  const rows = results.map((r) => [
    r.rule,
    formatDuration(r.windowMs),
    `${r.requestsEvaluated} (${r.windows} windows)`,
    String(r.falseAlerts),
    r.injected,
    windows(r.detectionDelayWindows),
    r.resolvedAfterWindows !== undefined && r.resolvedAfterWindows < 0
      ? `${r.resolvedAfterWindows} (while injected)`
      : windows(r.resolvedAfterWindows),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join(" | ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

async function main(): Promise<number> {
  const flags = flagsOrUsage(process.argv.slice(2), flagsSchema, { booleans: ["json", "help"], short: { h: "help" } }, USAGE);
  if (typeof flags === "number") return flags;
  const wanted = flags.rule?.split(",").map((s) => s.trim()) ?? simulatedRuleNames();
  const rules = loadAlertRules(path.resolve(flags.rules)).filter((r) => wanted.includes(r.name));
  const missing = wanted.filter((name) => !rules.some((r) => r.name === name));
  if (missing.length > 0) {
    console.error(`alerts:simulate: no such rule in ${flags.rules}: ${missing.join(", ")}`);
    return 2;
  }
  const results: RuleSimulation[] = [];
  for (const rule of rules) {
    const started = Date.now();
    results.push(await simulateRule(rule, { days: flags.days, seed: flags.seed }));
    if (!flags.json) console.error(`${rule.name}: simulated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  if (flags.json) {
    console.log(JSON.stringify(results, null, 2));
    return 0;
  }
  console.log(
    `\nDefault alert rules on simulated traffic (seed ${flags.seed}, ${flags.days} day(s) evaluated per rule; regression injected for 4 windows)\n`,
  );
  console.log(format(results));
  const other = results.filter((r) => r.otherAlertsInjected > 0);
  for (const r of other) console.log(`\n${r.rule}: ${r.otherAlertsInjected} other firing(s) in the injected run`);
  return 0;
}

runCli(main);
