import { ROOT_SPAN_LIST_MAX_LIMIT } from "../telemetry/trace-log/trace-log-records";
import type { LoggedSpan, TraceJudgement, TraceReader } from "../telemetry/trace-log/trace-reader";
import { requestFacts, type RequestFacts } from "./request-facts";

/**
 * The facts of every request that started in [since, until), through the TraceReader interface
 * so the trace log, Phoenix or a later store all work. Read a slice of time at a time and
 * reduced to facts at once: a week of spans never sits in memory together.
 */

const SLICE_MS = 3_600_000;

function group<T extends { traceId: string }>(items: readonly T[]): Map<string, T[]> {
  const byTrace = new Map<string, T[]>();
  for (const item of items) byTrace.set(item.traceId, [...(byTrace.get(item.traceId) ?? []), item]);
  return byTrace;
}

async function readSlice(reader: TraceReader, since: number, until: number): Promise<RequestFacts[]> {
  if (reader.traceWindow) {
    const window = await reader.traceWindow(since, until);
    const judgements = group(window.judgements);
    return [...group(window.spans)].flatMap(([traceId, spans]) => requestFacts(spans, judgements.get(traceId) ?? []) ?? []);
  }
  return readTraceByTrace(reader, since, until);
}

/** Newest-first pages of roots (the interface's only listing), then each trace and its judgements. */
async function readTraceByTrace(reader: TraceReader, since: number, until: number): Promise<RequestFacts[]> {
  const facts: RequestFacts[] = [];
  const seen = new Set<string>();
  let before = until;
  for (;;) {
    const roots = await reader.rootSpans({ since, until: before, limit: ROOT_SPAN_LIST_MAX_LIMIT });
    const fresh = roots.filter((root) => !seen.has(root.traceId));
    for (const root of fresh) {
      seen.add(root.traceId);
      const [spans, judgements]: [LoggedSpan[], TraceJudgement[]] = await Promise.all([
        reader.trace(root.traceId),
        reader.judgements(root.traceId),
      ]);
      const request = requestFacts(spans, judgements);
      if (request) facts.push(request);
    }
    if (roots.length < ROOT_SPAN_LIST_MAX_LIMIT || fresh.length === 0) return facts;
    // Just past the oldest root read: roots of that same instant are read again and skipped.
    before = Math.min(...roots.map((r) => r.startTimeMs)) + 0.001;
  }
}

/** Oldest first. */
export async function readRequests(reader: TraceReader, since: number, until: number): Promise<RequestFacts[]> {
  const facts: RequestFacts[] = [];
  for (let start = since; start < until; start += SLICE_MS) {
    const slice = await readSlice(reader, start, Math.min(start + SLICE_MS, until));
    facts.push(...slice.sort((a, b) => a.startMs - b.startMs));
  }
  return facts;
}
