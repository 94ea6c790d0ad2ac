import type { LoggedSpan, TraceReader } from "@/lib/telemetry/trace-log/trace-reader";
import { agentRoot, tagsOf } from "./trace-summary";

/**
 * The root spans of a time window, and which of them curation must leave alone: traces that are
 * not agent turns, eval runs and model benchmarks (their inputs are datasets already), and
 * traces already proposed or already made into production items.
 */

const PAGE = 1_000;

/** Root spans with since ≤ start < until, newest first, at most `scanLimit` (paging past the reader's page size). */
export async function rootsInWindow(
  reader: TraceReader,
  window: { since: number; until: number; scanLimit: number },
): Promise<{ roots: LoggedSpan[]; truncated: boolean }> {
  const roots: LoggedSpan[] = [];
  let until = window.until;
  for (;;) {
    const want = Math.min(PAGE, window.scanLimit - roots.length);
    const page = await reader.rootSpans({ since: window.since, until, limit: want });
    roots.push(...page);
    if (page.length < want) return { roots, truncated: false };
    // Full at the limit: there may be more (or exactly this many; the summary says "at least").
    if (roots.length >= window.scanLimit) return { roots, truncated: true };
    until = page.at(-1)!.startTimeMs;
  }
}

export type Exclusion = "not_agent" | "eval_run" | "model_bench" | "in_queue" | "in_production";

export function exclusionOf(
  root: LoggedSpan,
  known: { queued: ReadonlySet<string>; production: ReadonlySet<string> },
): Exclusion | undefined {
  if (!agentRoot([root])) return "not_agent";
  const tags = tagsOf(root);
  if (tags.some((t) => t.startsWith("eval-run:"))) return "eval_run";
  if (tags.includes("model-bench")) return "model_bench";
  if (known.queued.has(root.traceId)) return "in_queue";
  if (known.production.has(root.traceId)) return "in_production";
  return undefined;
}
