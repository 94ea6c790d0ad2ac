/**
 * `npm run compare -- --before <version | time range> --after <…>`: compares production traces
 * of two app or prompt versions (or two time ranges) from the trace log, metric by metric with
 * significance; prints a table and writes a self-contained HTML report under .data/compare/.
 *
 * Exit codes: 0 no rule-level regression, 1 a regression (an alert rule's metric moved
 * significantly in its bad direction: stop the rollout), 2 bad flags, rules or trace log, or a
 * side with no requests.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { loadConfig } from "../lib/config";
import { AppError } from "../lib/errors";
import { renderComparisonHtml } from "../lib/monitoring/compare-html";
import { parseCompareSelector, selectorSpan, selectRequests } from "../lib/monitoring/compare-selectors";
import { formatComparisonText } from "../lib/monitoring/compare-text";
import { parseTimeOrAge } from "../lib/monitoring/duration";
import { loadAlertRules } from "../lib/monitoring/load-alert-rules";
import { readRequests } from "../lib/monitoring/read-requests";
import { compareVersions } from "../lib/monitoring/version-compare";
import { openTraceStoreForCli } from "../lib/telemetry/trace-log/trace-store-backend";
import { TraceLogReader } from "../lib/telemetry/trace-log/trace-reader";
import { phoenixTraceUrl } from "../lib/telemetry/tracing-pipeline";
import { flagsOrUsage, runCli } from "./run-cli";

const USAGE = `Usage: npm run compare -- --before <side> --after <side> [options]
  a side is a version or a time range:
    app:0.2.0 | prompt:prompts-1a2b | 0.2.0 (an app version if one ran, else a prompt version)
    2026-12-01T00:00:00Z..2026-12-02T00:00:00Z | 7d..1d | 1h..now (ages before now; the end is exclusive)
  --since <time>        how far back versions are looked for: ISO time or an age (default 30d)
  --alpha <p>           significance level of the table and of threshold rules (default 0.01)
  --rules <file>        the alert rules (default ALERTS_RULES_PATH, monitoring/alerts.yaml)
  --trace-log <file>    the trace log to read (default TRACE_LOG_PATH)
  --out <file>          the HTML report (default .data/compare/compare-<time>.html)
  --json                the comparison as JSON instead of the table
Exit codes: 0 no regression, 1 a rule-level regression, 2 bad flags, rules, trace log or an empty side.`;

const flagsSchema = z.object({
  before: z.string().min(1).optional(),
  after: z.string().min(1).optional(),
  since: z.string().default("30d"),
  alpha: z.coerce.number().gt(0).lt(0.5).default(0.01),
  rules: z.string().optional(),
  "trace-log": z.string().optional(),
  out: z.string().optional(),
  json: z.boolean().default(false),
  help: z.boolean().default(false),
});

async function main(): Promise<number> {
  const flags = flagsOrUsage(process.argv.slice(2), flagsSchema, { booleans: ["json", "help"], short: { h: "help" } }, USAGE);
  if (typeof flags === "number") return flags;
  if (flags.before === undefined || flags.after === undefined) {
    console.error(`error: --before and --after are both required\n\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  const now = Date.now();
  const since = parseTimeOrAge(flags.since, now);
  if (since === undefined) throw new AppError("bad_request", `--since must be an ISO time or an age such as 7d; got "${flags.since}"`);
  const before = parseCompareSelector(flags.before, now, "--before");
  const after = parseCompareSelector(flags.after, now, "--after");
  const rules = loadAlertRules(path.resolve(flags.rules ?? config.alerts.rulesPath));
  const spans = [selectorSpan(before, { fromMs: since, toMs: now }), selectorSpan(after, { fromMs: since, toMs: now })];
  const { store: log, where: file, close } = openTraceStoreForCli(config, flags["trace-log"]);
  let requests;
  try {
    requests = await readRequests(new TraceLogReader(log), Math.min(...spans.map((s) => s.fromMs)), Math.max(...spans.map((s) => s.toMs)));
  } finally {
    await close();
  }
  const sides = [selectRequests(before, requests), selectRequests(after, requests)] as const;
  for (const [flag, side] of [
    ["--before", sides[0]],
    ["--after", sides[1]],
  ] as const) {
    if (side.requests.length === 0)
      throw new AppError("bad_request", `${flag} ${side.label}: no requests in ${file} (since ${new Date(since).toISOString()})`);
  }
  const comparison = compareVersions(sides[0], sides[1], rules, { alpha: flags.alpha });
  const { phoenix } = config.tracing;
  const traceUrl = phoenix.export ? (traceId: string) => phoenixTraceUrl(phoenix.uiUrl, traceId) : undefined;
  const out = path.resolve(flags.out ?? path.join(".data", "compare", `compare-${new Date(now).toISOString().replace(/[:.]/g, "-")}.html`));
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, renderComparisonHtml(comparison, traceUrl));
  console.log(flags.json ? JSON.stringify(comparison, null, 2) : formatComparisonText(comparison, traceUrl));
  console.log(`\nHTML report: ${out}`);
  return comparison.regression ? 1 : 0;
}

runCli(async () => {
  try {
    return await main();
  } catch (error) {
    // A setup problem is exit 2, so a pipeline can tell it from a regression.
    if (error instanceof AppError) {
      console.error(`compare: [${error.code}] ${error.message}`);
      return 2;
    }
    throw error;
  }
});
