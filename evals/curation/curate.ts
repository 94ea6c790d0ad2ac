import type { Embedder } from "@/lib/embeddings/types";
import {
  mergeIntoQueue,
  readReviewQueue,
  writeReviewQueue,
  type CandidateReason,
  type CandidateReasonCode,
  type ReviewCandidate,
} from "@/lib/curation/review-queue";
import type { TraceReader } from "@/lib/telemetry/trace-log/trace-reader";
import { balanceByRoute, UNROUTED } from "./balance";
import { toCandidate } from "./candidate";
import { loadExistingItems } from "./existing-items";
import { dropNearDuplicates, DUPLICATE_AT, embedTexts, judgeNovelty, NOVEL_BELOW } from "./novelty";
import { outlierCuts } from "./outliers";
import { pickReasons, priorityOf, sortReasons } from "./reasons";
import { sessionHistory } from "./session-history";
import { summarizeTrace, type TraceSummary } from "./trace-summary";
import { exclusionOf, rootsInWindow, type Exclusion } from "./trace-window";

/**
 * `npm run curate`: logged production traces in, review candidates out. Reads a window of
 * traces (trace log or Phoenix, behind one TraceReader), leaves out what must not be proposed,
 * summarises each trace, picks reasons (feedback, errors, online scores, routing confidence,
 * outliers, novelty), drops near-duplicates, balances across routes and merges the result into
 * the review queue. It never writes a dataset: a person decides at /review.
 */

export interface CurateOptions {
  source: "log" | "phoenix";
  /** Window, unix epoch ms: since ≤ trace start < until. */
  since: number;
  until: number;
  max: number;
  perRoute: number;
  datasetsDir: string;
  queuePath: string;
  /** Most traces read from the window (newest first). */
  scanLimit: number;
  now?: () => Date;
  traceUrl?: (traceId: string) => string | undefined;
  /** Compute everything, write nothing. */
  dryRun?: boolean;
}

export interface CurateDeps {
  reader: TraceReader;
  embedder: Embedder;
  progress?: (message: string) => void;
}

export interface CurateReport {
  tracesRead: number;
  /** The window held more traces than the scan limit. */
  truncated: boolean;
  excluded: Record<Exclusion, number>;
  considered: number;
  withReason: number;
  droppedAsDuplicates: { ofDataset: number; ofEachOther: number };
  /** Candidates with a reason that balancing left out (over --max or --per-route). */
  leftOut: number;
  added: ReviewCandidate[];
  byReason: Partial<Record<CandidateReasonCode, number>>;
  byRoute: Record<string, number>;
  queuePath: string;
  queueSize: number;
}

interface Scored {
  summary: TraceSummary;
  reasons: CandidateReason[];
  vector: Float32Array;
  route: string | null;
  priority: number;
  tracedAtMs: number;
}

const READ_CONCURRENCY = 4;

async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
  onDone?: (done: number) => void,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i]!);
        onDone?.(++done);
      }
    }),
  );
  return out;
}

/** A progress line at most once a second, and always the last one. */
function throttled(progress: (message: string) => void, what: string): (done: number, total: number) => void {
  let last = 0;
  return (done, total) => {
    if (done < total && Date.now() - last < 1_000) return;
    last = Date.now();
    progress(`  ${what} ${done}/${total}`);
  };
}

export async function curate(options: CurateOptions, deps: CurateDeps): Promise<CurateReport> {
  const progress = deps.progress ?? (() => {});
  const now = options.now ?? (() => new Date());
  const existing = loadExistingItems(options.datasetsDir);
  const queue = readReviewQueue(options.queuePath);

  // 1. The window, minus what must not be proposed.
  const { roots, truncated } = await rootsInWindow(deps.reader, options);
  const excluded: Record<Exclusion, number> = { not_agent: 0, eval_run: 0, model_bench: 0, in_queue: 0, in_production: 0 };
  const known = { queued: new Set(queue.map((c) => c.traceId)), production: existing.productionTraceIds };
  const eligible = roots.filter((root) => {
    const why = exclusionOf(root, known);
    if (why) excluded[why]++;
    return !why;
  });
  progress(`Read ${roots.length} traces (${options.source}); ${eligible.length} to examine`);

  // 2. One summary per trace (its spans and judgements).
  const examined = throttled(progress, "traces examined");
  const summaries = (
    await mapConcurrent(
      eligible,
      READ_CONCURRENCY,
      async (root) => summarizeTrace(await deps.reader.trace(root.traceId), await deps.reader.judgements(root.traceId)),
      (n) => examined(n, eligible.length),
    )
  ).filter((s): s is TraceSummary => s !== undefined);

  // 3. Reasons from the trace itself; outlier cuts are over the whole window.
  const cuts = outlierCuts(summaries);
  const reasons = summaries.map((s) => pickReasons(s, { cuts }));

  // 4. Novelty against the datasets, by embedding every question once.
  const pending = queue.filter((c) => c.status === "pending").map((c) => c.input.message);
  const texts = [...existing.messages.map((m) => m.message), ...pending, ...summaries.map((s) => s.question)];
  progress(`Embedding ${texts.length} questions (dataset items, pending candidates, traces) for novelty and duplicates`);
  const vectors = await embedTexts(deps.embedder, texts, throttled(progress, "embedded"));
  const datasetVectors = vectors.slice(0, existing.messages.length);
  const pendingVectors = vectors.slice(existing.messages.length, existing.messages.length + pending.length);
  const questionVectors = vectors.slice(existing.messages.length + pending.length);

  let ofDataset = 0;
  const scored: Scored[] = [];
  summaries.forEach((summary, i) => {
    const vector = questionVectors[i]!;
    const verdict = judgeNovelty(vector, datasetVectors, { novelBelow: NOVEL_BELOW, duplicateAt: DUPLICATE_AT });
    const near = verdict.nearestIndex !== undefined ? existing.messages[verdict.nearestIndex] : undefined;
    if (verdict.kind === "duplicate") {
      // The datasets already ask this: the eval covers it, whatever the trace shows.
      ofDataset++;
      return;
    }
    const all = [...reasons[i]!];
    if (verdict.kind === "novel") {
      all.push({
        code: "novel",
        detail: near
          ? `nearest dataset item ${near.id} at ${verdict.similarity.toFixed(2)} < ${NOVEL_BELOW}: ${JSON.stringify(near.message)}`
          : "the datasets are empty",
      });
    }
    if (all.length === 0) return;
    const sorted = sortReasons(all);
    scored.push({ summary, reasons: sorted, vector, route: summary.route, priority: priorityOf(sorted), tracedAtMs: summary.tracedAtMs });
  });

  // 5. One of each group of near-identical questions (the strongest), then balance across routes.
  scored.sort((a, b) => b.priority - a.priority || b.tracedAtMs - a.tracedAtMs);
  const { kept, dropped } = dropNearDuplicates(scored, (s) => s.vector, pendingVectors);
  const picked = balanceByRoute(kept, { max: options.max, perRoute: options.perRoute });

  // 6. Candidates, with the conversation that led to each.
  const proposedAt = now();
  const candidates = await mapConcurrent(picked, READ_CONCURRENCY, async (s) => {
    const history = await sessionHistory(deps.reader, s.summary);
    const traceUrl = options.traceUrl?.(s.summary.traceId);
    return toCandidate(s.summary, s.reasons, {
      source: options.source,
      proposedAt,
      ...(history ? { history } : {}),
      ...(traceUrl ? { traceUrl } : {}),
    });
  });
  const merged = mergeIntoQueue(queue, candidates);
  if (!options.dryRun && merged.added.length > 0) writeReviewQueue(options.queuePath, merged.queue);

  const byReason: CurateReport["byReason"] = {};
  const byRoute: Record<string, number> = {};
  for (const c of merged.added) {
    for (const r of c.reasons) byReason[r.code] = (byReason[r.code] ?? 0) + 1;
    byRoute[c.route ?? UNROUTED] = (byRoute[c.route ?? UNROUTED] ?? 0) + 1;
  }
  return {
    tracesRead: roots.length,
    truncated,
    excluded,
    considered: summaries.length,
    withReason: scored.length,
    droppedAsDuplicates: { ofDataset, ofEachOther: dropped.length },
    leftOut: kept.length - picked.length,
    added: merged.added,
    byReason,
    byRoute,
    queuePath: options.queuePath,
    queueSize: options.dryRun ? queue.length : merged.queue.length,
  };
}
