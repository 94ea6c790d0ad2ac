import { percentile } from "@/lib/math/percentile";
import { outcomeKey, type TurnResult } from "./client";

/** What a batch of chat turns came to: the figures every load scenario reports and checks. */
export type TurnSummary = {
  turns: number;
  /** 200 with a whole answer (no error event, not cut off). */
  answered: number;
  /** Over the turns that got a 200 and ran to the end; ms. */
  latencyMs?: { p50: number; p95: number; max: number };
  /** By outcome: the HTTP status, or `timeout`, `network`, `aborted`. */
  statuses: Record<string, number>;
  fiveXx: number;
  /** 429 and 503, with and without a Retry-After header. */
  refusedWithRetryAfter: number;
  refusedWithoutRetryAfter: number;
  /** Turns that took longer than the server promises to keep a caller (queue timeout + turn deadline), timeouts included. */
  overDeadline: number;
  /** Streams that ended with an `error` event, by code. */
  streamErrors: Record<string, number>;
};

const isRefusal = (t: TurnResult) => t.status === 429 || t.status === 503;
/** A 200 that ran to the end (not cut off, no timeout). */
const isFinished = (t: TurnResult) => t.status === 200 && !t.failure && !t.aborted;
/** Finished with a whole answer: no `error` event in its stream. */
export const isAnswered = (t: TurnResult) => isFinished(t) && !t.errorCode;

/** How often each key occurs, keys sorted. */
export function countBy(keys: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of [...keys].sort()) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}

export function summarizeTurns(turns: readonly TurnResult[], limitMs: number): TurnSummary {
  const finished = turns.filter(isFinished);
  const latencies = finished.map((t) => t.ms);
  return {
    turns: turns.length,
    answered: turns.filter(isAnswered).length,
    ...(latencies.length > 0
      ? { latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: Math.max(...latencies) } }
      : {}),
    statuses: countBy(turns.map(outcomeKey)),
    fiveXx: turns.filter((t) => (t.status ?? 0) >= 500).length,
    refusedWithRetryAfter: turns.filter((t) => isRefusal(t) && t.retryAfter !== undefined).length,
    refusedWithoutRetryAfter: turns.filter((t) => isRefusal(t) && t.retryAfter === undefined).length,
    overDeadline: turns.filter((t) => t.failure === "timeout" || t.ms > limitMs).length,
    streamErrors: countBy(finished.flatMap((t) => (t.errorCode ? [t.errorCode] : []))),
  };
}

/**
 * What the server must never do under load: a 5xx that is not an overload refusal with
 * Retry-After, a refusal without Retry-After, a caller kept past the promised time, a dropped
 * connection, a stream that ends in an error.
 */
export function turnFailures(summary: TurnSummary): string[] {
  const failures: string[] = [];
  const other5xx = Object.entries(summary.statuses).filter(([status]) => Number(status) >= 500 && status !== "503");
  if (other5xx.length > 0) failures.push(`5xx other than 503: ${other5xx.map(([s, n]) => `${n} x ${s}`).join(", ")}`);
  if (summary.refusedWithoutRetryAfter > 0) failures.push(`${summary.refusedWithoutRetryAfter} refusal(s) (429/503) without Retry-After`);
  if (summary.overDeadline > 0) failures.push(`${summary.overDeadline} turn(s) waited past the queue timeout + turn deadline`);
  if (summary.statuses.network) failures.push(`${summary.statuses.network} connection(s) failed or streams ended without done`);
  const errors = Object.entries(summary.streamErrors);
  if (errors.length > 0) failures.push(`streams ended with error events: ${errors.map(([code, n]) => `${n} x ${code}`).join(", ")}`);
  return failures;
}

export const formatMs = (ms: number | undefined) =>
  ms === undefined ? "-" : ms < 10_000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;

/** `p50 1.2 s, p95 3.4 s, max 5.6 s`. */
export function formatLatency(latency: TurnSummary["latencyMs"]): string {
  return latency ? `p50 ${formatMs(latency.p50)}, p95 ${formatMs(latency.p95)}, max ${formatMs(latency.max)}` : "no answered turns";
}

/** `200: 12, 503: 3`. */
export const formatCounts = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([key, n]) => `${key}: ${n}`)
    .join(", ") || "none";
