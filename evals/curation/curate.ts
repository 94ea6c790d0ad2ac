import type { Embedder } from "@/lib/embeddings/types";
import { mergeIntoQueue, type CandidateReason, type CandidateReasonCode, type ReviewCandidate } from "@/lib/curation/review-queue";
import { FileReviewQueue, type ReviewQueueStore } from "@/lib/curation/review-queue-store";
import type { TraceReader } from "@/lib/telemetry/trace-log/trace-reader";
import { mapPool } from "../map-pool";
import { balanceByRoute, UNROUTED } from "./balance";
import { toCandidate } from "./candidate";
import { loadExistingItems, type ExistingItems } from "./existing-items";
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
  /** The queue itself; the JSONL file at `queuePath` when left out (PostgreSQL with DATABASE_URL). */
  queue?: ReviewQueueStore;
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

/** A progress line at most once a second, and always the last one. */
function throttled(progress: (message: string) => void, what: string): (done: number, total: number) => void {
  let last = 0;
  return (done, total) => {
    if (done < total && Date.now() - last < 1_000) return;
    last = Date.now();
    progress(`  ${what} ${done}/${total}`);
  };
}

/** Step 1: the window, minus what must not be proposed (eval runs, benchmarks, traces already queued or in a dataset). */
async function eligibleRoots(reader: TraceReader, options: CurateOptions, queue: readonly ReviewCandidate[], existing: ExistingItems) {
  const { roots, truncated } = await rootsInWindow(reader, options);
  const excluded: Record<Exclusion, number> = { not_agent: 0, eval_run: 0, model_bench: 0, in_queue: 0, in_production: 0 };
  const known = { queued: new Set(queue.map((c) => c.traceId)), production: existing.productionTraceIds };
  const eligible = roots.filter((root) => {
    const why = exclusionOf(root, known);
    if (why) excluded[why]++;
    return !why;
  });
  return { roots, truncated, excluded, eligible };
}

/** Step 2: one summary per agent trace, from its spans and judgements. */
async function summarizeAll(
  deps: CurateDeps,
  eligible: readonly { traceId: string }[],
  progress: (message: string) => void,
): Promise<TraceSummary[]> {
  const examined = throttled(progress, "traces examined");
  let done = 0;
  const summaries = await mapPool(eligible, READ_CONCURRENCY, async (root) => {
    const summary = summarizeTrace(await deps.reader.trace(root.traceId), await deps.reader.judgements(root.traceId));
    examined(++done, eligible.length);
    return summary;
  });
  return summaries.filter((s): s is TraceSummary => s !== undefined);
}

/** Step 4: every question embedded once: the dataset items', the pending candidates' and the traces'. */
async function embedQuestions(
  deps: CurateDeps,
  existing: ExistingItems,
  pending: readonly string[],
  summaries: readonly TraceSummary[],
  progress: (message: string) => void,
) {
  const texts = [...existing.messages.map((m) => m.message), ...pending, ...summaries.map((s) => s.question)];
  progress(`Embedding ${texts.length} questions (dataset items, pending candidates, traces) for novelty and duplicates`);
  const vectors = await embedTexts(deps.embedder, texts, throttled(progress, "embedded"));
  const datasets = existing.messages.length;
  return {
    datasetVectors: vectors.slice(0, datasets),
    pendingVectors: vectors.slice(datasets, datasets + pending.length),
    questionVectors: vectors.slice(datasets + pending.length),
  };
}

/**
 * Step 4, continued: each trace with a reason to be looked at (its own, or a question the
 * datasets do not cover), leaving out the questions the datasets already ask.
 */
function withNovelty(
  summaries: readonly TraceSummary[],
  reasons: readonly CandidateReason[][],
  vectors: { datasetVectors: Float32Array[]; questionVectors: Float32Array[] },
  existing: ExistingItems,
): { scored: Scored[]; ofDataset: number } {
  let ofDataset = 0;
  const scored: Scored[] = [];
  summaries.forEach((summary, i) => {
    const vector = vectors.questionVectors[i]!;
    const verdict = judgeNovelty(vector, vectors.datasetVectors, { novelBelow: NOVEL_BELOW, duplicateAt: DUPLICATE_AT });
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
  return { scored, ofDataset };
}

/** Step 6: the candidates, with the conversation that led to each. */
function toCandidates(picked: readonly Scored[], options: CurateOptions, deps: CurateDeps): Promise<ReviewCandidate[]> {
  const proposedAt = (options.now ?? (() => new Date()))();
  return mapPool(picked, READ_CONCURRENCY, async (s) => {
    const history = await sessionHistory(deps.reader, s.summary);
    const traceUrl = options.traceUrl?.(s.summary.traceId);
    return toCandidate(s.summary, s.reasons, {
      source: options.source,
      proposedAt,
      ...(history ? { history } : {}),
      ...(traceUrl ? { traceUrl } : {}),
    });
  });
}

function countAdded(added: readonly ReviewCandidate[]): Pick<CurateReport, "byReason" | "byRoute"> {
  const byReason: CurateReport["byReason"] = {};
  const byRoute: Record<string, number> = {};
  for (const c of added) {
    for (const r of c.reasons) byReason[r.code] = (byReason[r.code] ?? 0) + 1;
    byRoute[c.route ?? UNROUTED] = (byRoute[c.route ?? UNROUTED] ?? 0) + 1;
  }
  return { byReason, byRoute };
}

export async function curate(options: CurateOptions, deps: CurateDeps): Promise<CurateReport> {
  const progress = deps.progress ?? (() => {});
  const existing = loadExistingItems(options.datasetsDir);
  const reviewQueue = options.queue ?? new FileReviewQueue(options.queuePath);
  const queue = await reviewQueue.list();

  const { roots, truncated, excluded, eligible } = await eligibleRoots(deps.reader, options, queue, existing);
  progress(`Read ${roots.length} traces (${options.source}); ${eligible.length} to examine`);
  const summaries = await summarizeAll(deps, eligible, progress);

  // 3. Reasons from the trace itself; outlier cuts are over the whole window.
  const cuts = outlierCuts(summaries);
  const reasons = summaries.map((s) => pickReasons(s, { cuts }));

  const pending = queue.filter((c) => c.status === "pending").map((c) => c.input.message);
  const vectors = await embedQuestions(deps, existing, pending, summaries, progress);
  const { scored, ofDataset } = withNovelty(summaries, reasons, vectors, existing);

  // 5. One of each group of near-identical questions (the strongest), then balance across routes.
  scored.sort((a, b) => b.priority - a.priority || b.tracedAtMs - a.tracedAtMs);
  const { kept, dropped } = dropNearDuplicates(scored, (s) => s.vector, vectors.pendingVectors);
  const picked = balanceByRoute(kept, { max: options.max, perRoute: options.perRoute });

  const proposed = await toCandidates(picked, options, deps);
  // Minutes may have passed since the queue was read, with decisions made at /review meanwhile:
  // the store merges into the queue as it is now (review-queue-store.ts).
  const merged = options.dryRun ? { added: mergeIntoQueue(queue, proposed).added, size: queue.length } : await reviewQueue.merge(proposed);
  return {
    tracesRead: roots.length,
    truncated,
    excluded,
    considered: summaries.length,
    withReason: scored.length,
    droppedAsDuplicates: { ofDataset, ofEachOther: dropped.length },
    leftOut: kept.length - picked.length,
    added: merged.added,
    ...countAdded(merged.added),
    queuePath: reviewQueue.location,
    queueSize: merged.size,
  };
}
