import { z } from "zod";
import { parseFlags } from "@/lib/cli/parse-flags";
import { AppError } from "@/lib/errors";
import { parseTimeOrAge } from "@/lib/monitoring/duration";

/** The flags of `npm run curate`, validated; a bad flag is an AppError("bad_request") naming it. */

export const CURATE_USAGE = `Usage: npm run curate -- [options]
  --source log|phoenix   where to read traces: the local trace log (default) or Phoenix's REST API
  --since <time>         window start: ISO time or an age such as 30m, 24h, 7d (default 7d)
  --until <time>         window end: ISO time or an age (default now)
  --max <n>              candidates proposed at most (default 60)
  --per-route <n>        candidates per route at most (default 20)
  --out <file>           the review queue to merge into (default REVIEW_QUEUE_PATH)
  --trace-log <path>     the trace log to read (default TRACE_LOG_PATH)
  --datasets <dir>       the datasets novelty and duplicates are judged against (default DATASETS_DIR)
  --scan <n>             traces read from the window at most, newest first (default 5000)
  --dry-run              print what would be proposed, write nothing`;

export interface CurateArgs {
  help: boolean;
  source: "log" | "phoenix";
  since: number;
  until: number;
  max: number;
  perRoute: number;
  out?: string;
  traceLog?: string;
  datasets?: string;
  scan: number;
  dryRun: boolean;
}

/** "7d" (an age, before `now`) or an ISO time, as epoch ms. */
export function parseTime(raw: string, flag: string, now: number): number {
  const time = parseTimeOrAge(raw, now);
  if (time !== undefined) return time;
  throw new AppError("bad_request", `--${flag} must be an ISO time (2026-01-31T12:00:00Z) or an age such as 30m, 24h, 7d; got "${raw}"`);
}

function positive(raw: string | undefined, flag: string, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new AppError("bad_request", `--${flag} must be a positive integer, got "${raw}"`);
  return n;
}

const flagsSchema = z.object({
  source: z.enum(["log", "phoenix"], { error: (issue) => `must be "log" or "phoenix", got "${String(issue.input)}"` }).default("log"),
  since: z.string().default("7d"),
  until: z.string().optional(),
  max: z.string().optional(),
  "per-route": z.string().optional(),
  out: z.string().optional(),
  "trace-log": z.string().optional(),
  datasets: z.string().optional(),
  scan: z.string().optional(),
  "dry-run": z.boolean().default(false),
  help: z.boolean().default(false),
});

export function parseCurateArgs(argv: string[], now = Date.now()): CurateArgs {
  const values = parseFlags(argv, flagsSchema, {
    booleans: ["dry-run", "help"],
    short: { h: "help" },
    usageHint: "see `npm run curate -- --help`",
  });
  const since = parseTime(values.since, "since", now);
  const until = values.until === undefined ? now : parseTime(values.until, "until", now);
  if (since >= until)
    throw new AppError(
      "bad_request",
      `--since (${new Date(since).toISOString()}) must be before --until (${new Date(until).toISOString()})`,
    );
  return {
    help: values.help,
    source: values.source,
    since,
    until,
    max: positive(values.max, "max", 60),
    perRoute: positive(values["per-route"], "per-route", 20),
    ...(values.out !== undefined ? { out: values.out } : {}),
    ...(values["trace-log"] !== undefined ? { traceLog: values["trace-log"] } : {}),
    ...(values.datasets !== undefined ? { datasets: values.datasets } : {}),
    scan: positive(values.scan, "scan", 5_000),
    dryRun: values["dry-run"],
  };
}
