import { withFileLock } from "../fs/file-lock";
import { assignSplit, type Split } from "../datasets/split";
import fs from "node:fs";
import path from "node:path";
import { AppError } from "../errors";
import { writeFileAtomic } from "../fs/write-file-atomic";
import { DatasetError, parseDataset, type DatasetExample } from "../datasets/dataset-example";
import type { TraceReader } from "../telemetry/trace-log/trace-reader";
import type { ReviewDecision } from "./review-decision";
import type { ReviewCandidate } from "./review-queue";
import { FileReviewQueue, type CandidateDecision, type ReviewQueueStore } from "./review-queue-store";
import { TRACE_EXPORT_SUFFIX, exportTrace, readTraceExport, withTrace, writeTraceExport } from "./trace-export";

/**
 * The review workflow behind /review: lists what waits for a decision, and applies one.
 * Accepting a production candidate appends a reviewed example to `production.jsonl` and its
 * trace to `production.traces.jsonl`; every file is validated whole and replaced atomically,
 * and the dataset is written only after its provenance, so a failure at any step leaves no
 * half-written dataset and no item without its trace.
 */

export interface ReviewStore {
  queuePath: string;
  /** The queue itself; the JSONL file at `queuePath` when left out (PostgreSQL with DATABASE_URL: app-review.ts). */
  queue?: ReviewQueueStore;
  datasetsDir: string;
  /** Where accepted candidates' traces are read from (the trace log in the app). */
  traces: TraceReader;
  now?: () => Date;
}

export interface ReviewListing {
  candidates: ReviewCandidate[];
  synthetic: DatasetExample[];
  counts: { pending: number; accepted: number; rejected: number; synthetic: number };
}

export interface DecisionResult {
  decision: "accepted" | "rejected";
  /** The example written (accepted) or removed (a rejected synthetic one). */
  item?: DatasetExample;
  /** Every production example, after the change (for mirroring to Phoenix). */
  production?: DatasetExample[];
}

export const PRODUCTION_DATASET = "production.jsonl";
export const SYNTHETIC_DATASET = "synthetic.jsonl";

function readDatasetFile(file: string): DatasetExample[] {
  if (!fs.existsSync(file)) return [];
  const text = fs.readFileSync(file, "utf8");
  if (text.trim() === "") return [];
  try {
    return parseDataset(text, file);
  } catch (error) {
    if (error instanceof DatasetError)
      throw new AppError("dataset_invalid", `${error.message} (fix the file before reviewing)`, { cause: error });
    throw error;
  }
}

/** Serializes the file with a final validation: never write what `loadDataset` would reject. */
function datasetText(file: string, examples: readonly DatasetExample[]): string {
  const text = examples.map((e) => JSON.stringify(e)).join("\n") + (examples.length ? "\n" : "");
  if (examples.length) parseDataset(text, file);
  return text;
}

function queueOf(store: ReviewStore): ReviewQueueStore {
  return store.queue ?? new FileReviewQueue(store.queuePath);
}

export async function listForReview(store: ReviewStore): Promise<ReviewListing> {
  const queue = await queueOf(store).list();
  const synthetic = readDatasetFile(path.join(store.datasetsDir, SYNTHETIC_DATASET)).filter((e) => !e.reviewed);
  const count = (status: ReviewCandidate["status"]) => queue.filter((c) => c.status === status).length;
  return {
    candidates: queue.filter((c) => c.status === "pending"),
    synthetic,
    counts: { pending: count("pending"), accepted: count("accepted"), rejected: count("rejected"), synthetic: synthetic.length },
  };
}

export function productionIdFor(traceId: string): string {
  return `prod-${traceId.slice(0, 16)}`;
}

function uniqueTags(tags: readonly string[]): string[] {
  return [...new Set(tags)];
}

type ProductionDecision = Extract<ReviewDecision, { target: "production" }>;

function decideProduction(store: ReviewStore, decision: ProductionDecision): Promise<DecisionResult> {
  const queue = queueOf(store);
  return queue.decide<DecisionResult>(decision.traceId, async (candidate) => {
    if (!candidate)
      throw new AppError(
        "trace_not_found",
        `Trace ${decision.traceId} is not in the review queue (${queue.location}); run \`npm run curate\``,
      );
    if (candidate.status !== "pending")
      throw new AppError("candidate_decided", `Trace ${decision.traceId} was already ${candidate.status}`);
    const now = (store.now ?? (() => new Date()))();
    if (decision.decision === "reject") {
      return { result: { decision: "rejected" }, decision: { status: "rejected", decidedAt: now.toISOString() } };
    }
    const result = await acceptProduction(store, decision, candidate, now);
    return {
      result,
      decision: { status: "accepted", decidedAt: now.toISOString(), datasetItemId: result.item.id } satisfies CandidateDecision,
    };
  });
}

/** Writes the accepted candidate's item and its trace into the production dataset files. */
async function acceptProduction(
  store: ReviewStore,
  decision: ProductionDecision,
  candidate: ReviewCandidate,
  now: Date,
): Promise<DecisionResult & { item: DatasetExample }> {
  const spans = await store.traces.trace(decision.traceId);
  if (spans.length === 0)
    throw new AppError(
      "trace_not_found",
      `Trace ${decision.traceId} is no longer in the trace log (pruned?); it cannot be exported with the item`,
    );
  const datasetFile = path.join(store.datasetsDir, PRODUCTION_DATASET);
  const exportFile = path.join(store.datasetsDir, `production${TRACE_EXPORT_SUFFIX}`);
  const existing = readDatasetFile(datasetFile);
  const exported = readTraceExport(exportFile);
  const expected = decision.expected!; // the schema requires it on accept
  const item: DatasetExample = {
    id: productionIdFor(decision.traceId),
    input: {
      message: decision.message ?? candidate.input.message,
      ...(candidate.input.history?.length ? { history: candidate.input.history } : {}),
    },
    expected: Object.fromEntries(
      Object.entries(expected).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0) && v !== ""),
    ),
    tags: uniqueTags(["production", expected.route, ...(decision.tags ?? [])]),
    source: "production",
    traceId: decision.traceId,
    createdAt: now.toISOString(),
    reviewed: true,
    split: splitOfNewItem(productionIdFor(decision.traceId), expected.route, existing),
  };
  if (existing.some((e) => e.id === item.id || e.traceId === item.traceId)) {
    throw new AppError("candidate_decided", `Trace ${decision.traceId} is already in ${datasetFile}`);
  }
  const production = [...existing, item];
  const text = datasetText(datasetFile, production);
  // Provenance first: a crash between the two writes leaves an extra trace, never an item without one.
  writeTraceExport(exportFile, withTrace(exported, exportTrace(decision.traceId, spans, now, candidate.feedback)));
  writeFileAtomic(datasetFile, text);
  return { decision: "accepted", item, production };
}

function decideSynthetic(store: ReviewStore, decision: Extract<ReviewDecision, { target: "synthetic" }>): DecisionResult {
  const file = path.join(store.datasetsDir, SYNTHETIC_DATASET);
  const examples = readDatasetFile(file);
  const found = examples.find((e) => e.id === decision.itemId);
  if (!found) throw new AppError("not_found", `No synthetic example ${decision.itemId} in ${file}`);
  if (found.reviewed) throw new AppError("candidate_decided", `Synthetic example ${decision.itemId} was already reviewed`);
  if (decision.decision === "reject") {
    writeFileAtomic(
      file,
      datasetText(
        file,
        examples.filter((e) => e.id !== found.id),
      ),
    );
    return { decision: "rejected", item: found };
  }
  const item: DatasetExample = {
    ...found,
    input: { ...found.input, ...(decision.message ? { message: decision.message } : {}) },
    expected: decision.expected ? { ...found.expected, ...decision.expected } : found.expected,
    tags: uniqueTags([...found.tags, ...(decision.tags ?? [])]),
    reviewed: true,
    split: found.split ?? splitOfNewItem(found.id, decision.expected?.route ?? found.expected.route, examples),
  };
  writeFileAtomic(
    file,
    datasetText(
      file,
      examples.map((e) => (e.id === found.id ? item : e)),
    ),
  );
  return { decision: "accepted", item };
}

/** A new item's split: the smaller side of its route among the file's items (see lib/datasets/split.ts). */
function splitOfNewItem(id: string, route: string | undefined, existing: readonly DatasetExample[]): Split {
  const sameRoute = existing.filter((e) => e.expected.route === route && e.split).map((e) => e.split!);
  return assignSplit(id, sameRoute);
}

let chain: Promise<unknown> = Promise.resolve();
// Curation holds the queue's lock only while it merges, a moment: a reviewer waits that long at most.
const REVIEW_LOCK_WAIT_MS = 10_000;

/**
 * Applies one decision. Decisions are serialized (each is a read-modify-write of the same
 * files): in this process by a chain, so two reviewers clicking at once cannot lose each
 * other's work, and across processes by the queue's file lock, which `npm run curate` takes too.
 * With the queue in PostgreSQL the file lock still guards the dataset files this process writes,
 * and the candidate's row lock keeps replicas from deciding it twice.
 */
export function applyDecision(store: ReviewStore, decision: ReviewDecision): Promise<DecisionResult> {
  const decide = () => (decision.target === "production" ? decideProduction(store, decision) : decideSynthetic(store, decision));
  const run = chain.then(() => withFileLock(store.queuePath, decide, { what: "the review queue", waitMs: REVIEW_LOCK_WAIT_MS }));
  chain = run.catch(() => undefined);
  return run;
}
