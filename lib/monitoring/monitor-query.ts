import { z } from "zod";
import { AppError } from "../errors";
import { formatIssuePath } from "../validation/zod-issues";

/**
 * What /monitor shows: a window (1 h, 24 h, 7 d, or custom from/to) and a group-by. One schema
 * for the page's query string and its API's, so both refuse the same input the same way.
 */

export const MONITOR_WINDOWS = ["1h", "24h", "7d", "custom"] as const;
export const MONITOR_GROUPS = ["none", "route", "model", "app_version", "prompt_version"] as const;
export type MonitorGroup = (typeof MONITOR_GROUPS)[number];

const HOUR = 3_600_000;
const WINDOW_MS: Record<Exclude<(typeof MONITOR_WINDOWS)[number], "custom">, number> = {
  "1h": HOUR,
  "24h": 24 * HOUR,
  "7d": 7 * 24 * HOUR,
};
const MAX_CUSTOM_MS = 31 * 24 * HOUR;
// Bucket sizes a person reads at a glance; the smallest that gives at most ~60 points is used.
const BUCKETS_MS = [60_000, 300_000, 600_000, 900_000, 1_800_000, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, 24 * HOUR];
const MAX_POINTS = 60;

// ISO times; without an offset they are UTC (a `datetime-local` input sends none). Empty: not given.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;
const time = z.string().transform((text, ctx) => {
  if (text === "") return undefined;
  const ms = ISO_TIME.test(text) ? Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(text) ? text : `${text}Z`) : Number.NaN;
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: "custom", message: `must be an ISO time such as 2026-12-05T10:00Z; got "${text}"` });
    return z.NEVER;
  }
  return ms;
});

export const monitorQuerySchema = z
  .strictObject({
    window: z.enum(MONITOR_WINDOWS).default("24h"),
    from: time.optional(),
    to: time.optional(),
    groupBy: z.enum(MONITOR_GROUPS).default("route"),
  })
  .superRefine((q, ctx) => {
    if (q.window !== "custom") return;
    if (q.from === undefined || q.to === undefined)
      ctx.addIssue({ code: "custom", path: ["from"], message: "a custom window needs from and to (ISO times)" });
    else if (!(q.from < q.to)) ctx.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
    else if (q.to - q.from > MAX_CUSTOM_MS) ctx.addIssue({ code: "custom", path: ["to"], message: "a custom window is at most 31 days" });
  });

export type MonitorQuery = z.output<typeof monitorQuerySchema>;

export interface MonitorRange {
  fromMs: number;
  toMs: number;
  bucketMs: number;
}

/** Parses a query string's values (the first of repeated ones); a bad value is a 400 naming the field. */
export function parseMonitorQuery(params: Record<string, string | string[] | undefined>): MonitorQuery {
  const first = Object.fromEntries(Object.entries(params).flatMap(([k, v]) => (v === undefined ? [] : [[k, Array.isArray(v) ? v[0] : v]])));
  const parsed = monitorQuerySchema.safeParse(first);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${formatIssuePath(issue.path) || "query"}: ${issue.message}`);
  throw new AppError("bad_request", `Bad monitor query: ${problems.join("; ")}`);
}

/** The time range and bucket size a query covers at `nowMs`; a preset window ends at the current bucket's end. */
export function monitorRange(query: MonitorQuery, nowMs: number): MonitorRange {
  const span = query.window === "custom" ? query.to! - query.from! : WINDOW_MS[query.window];
  const bucketMs = BUCKETS_MS.find((b) => span / b <= MAX_POINTS) ?? BUCKETS_MS.at(-1)!;
  if (query.window === "custom") return { fromMs: query.from!, toMs: query.to!, bucketMs };
  const toMs = Math.ceil(nowMs / bucketMs) * bucketMs;
  return { fromMs: toMs - span, toMs, bucketMs };
}
