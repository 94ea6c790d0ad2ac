/**
 * `npm run alerts`: evaluates the alert rules (monitoring/alerts.yaml) over the trace log.
 *
 *   npm run alerts                               the state of each rule and group now (replayed over --since, default 24h)
 *   npm run alerts -- --since 7d --backtest      when each rule would have fired and resolved, window by window
 *
 * Read-only: it never writes the alert state the server keeps. Exit codes: 0 nothing firing (a
 * backtest always 0), 1 something firing now (for cron), 2 bad flags, an invalid rules file or
 * an unreadable trace log.
 */
import path from "node:path";
import { z } from "zod";
import { loadConfig } from "../lib/config";
import { AppError } from "../lib/errors";
import { formatBacktest, formatCurrentState, firingEpisodes } from "../lib/monitoring/alert-report";
import { ruleLookbackMs } from "../lib/monitoring/alert-rules";
import { parseTimeOrAge } from "../lib/monitoring/duration";
import { loadAlertRules } from "../lib/monitoring/load-alert-rules";
import { metricCatalog } from "../lib/monitoring/metrics";
import { readRequests } from "../lib/monitoring/read-requests";
import { RequestHistory } from "../lib/monitoring/request-history";
import { replayRule } from "../lib/monitoring/replay";
import { openTraceStoreForCli } from "../lib/telemetry/trace-log/trace-store-backend";
import { TraceLogReader } from "../lib/telemetry/trace-log/trace-reader";
import { flagsOrUsage, runCli } from "./run-cli";

const USAGE = `Usage: npm run alerts -- [options]
  --backtest            replay history window by window and print when each rule would have fired and resolved
  --since <time>        start: ISO time or an age such as 30m, 24h, 7d (default 24h; 7d with --backtest)
  --until <time>        end (default now)
  --rules <file>        the rules file (default ALERTS_RULES_PATH, monitoring/alerts.yaml)
  --trace-log <file>    the trace log to read (default TRACE_LOG_PATH)
  --json                machine-readable output
  --metrics             list the metrics rules can use
Exit codes: 0 nothing firing (a backtest: always), 1 a rule is firing now, 2 bad flags, rules or trace log.`;

const flagsSchema = z.object({
  backtest: z.boolean().default(false),
  since: z.string().optional(),
  until: z.string().optional(),
  rules: z.string().optional(),
  "trace-log": z.string().optional(),
  json: z.boolean().default(false),
  metrics: z.boolean().default(false),
  help: z.boolean().default(false),
});

function time(raw: string | undefined, fallback: number, flag: string, now: number): number {
  if (raw === undefined) return fallback;
  const parsed = parseTimeOrAge(raw, now);
  if (parsed === undefined) throw new AppError("bad_request", `--${flag} must be an ISO time or an age such as 30m, 24h, 7d; got "${raw}"`);
  return parsed;
}

async function main(): Promise<number> {
  const flags = flagsOrUsage(
    process.argv.slice(2),
    flagsSchema,
    { booleans: ["backtest", "json", "metrics", "help"], short: { h: "help" } },
    USAGE,
  );
  if (typeof flags === "number") return flags;
  if (flags.metrics) {
    for (const m of metricCatalog()) console.log(`${m.name.padEnd(34)} ${m.kind.padEnd(12)} ${m.unit.padEnd(8)} ${m.description}`);
    return 0;
  }
  const config = loadConfig();
  const now = Date.now();
  const until = time(flags.until, now, "until", now);
  const since = time(flags.since, until - (flags.backtest ? 7 : 1) * 86_400_000, "since", now);
  const rules = loadAlertRules(path.resolve(flags.rules ?? config.alerts.rulesPath));
  const { store: log, where: file, close } = openTraceStoreForCli(config, flags["trace-log"]);
  try {
    // Each rule's first window needs its baseline from before --since.
    const readFrom = since - Math.max(...rules.map(ruleLookbackMs));
    const history = new RequestHistory(await readRequests(new TraceLogReader(log), readFrom, until));
    const replays = rules.map((rule) => replayRule(rule, history, since, until));
    const firing = replays.flatMap((r) => r.states.filter((s) => s.status === "firing"));
    if (flags.json) {
      const body = flags.backtest
        ? { since, until, requests: history.size, episodes: firingEpisodes(replays), transitions: replays.flatMap((r) => r.transitions) }
        : { since, until, requests: history.size, states: replays.flatMap((r) => r.states) };
      console.log(JSON.stringify(body, null, 2));
    } else {
      const range = `${new Date(since).toISOString()} – ${new Date(until).toISOString()}`;
      console.log(
        `${flags.backtest ? "Backtest" : "Alert state"} over ${range}: ${history.size} requests in ${file}, ${rules.length} rules\n`,
      );
      console.log(flags.backtest ? formatBacktest(replays) : formatCurrentState(replays));
    }
    return !flags.backtest && firing.length > 0 ? 1 : 0;
  } finally {
    await close();
  }
}

runCli(async () => {
  try {
    return await main();
  } catch (error) {
    // A setup problem (rules, trace log, flags) is exit 2, so cron can tell it from "firing".
    if (error instanceof AppError) {
      console.error(`alerts: [${error.code}] ${error.message}`);
      return 2;
    }
    throw error;
  }
});
