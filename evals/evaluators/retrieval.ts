import { makeScore, syncEvaluate } from "./score";
import type { EvalCase, EvalScore, Evaluator } from "./types";

/**
 * Retrieval relevance (CODE) against the example's expected doc ids: hit@k, precision@k,
 * recall@k, MRR and nDCG@k over the agent's retrieved chunks, best first. Relevance is binary
 * and by document: a chunk is relevant when its docId is expected.
 *
 * - precision@k counts chunks: of the first k chunks, the share from an expected document
 *   (how much of the context the answer was built on is on topic);
 * - recall@k counts documents: the share of expected documents with a chunk in the first k;
 * - nDCG@k gains 1 for the first chunk of each expected document only, so a document split in
 *   two chunks is not counted twice, and the ideal ranking puts min(k, |expected|) documents first.
 */

export interface RankedRelevance {
  /** 1-based ranks (within the first k chunks) of chunks from an expected document. */
  relevantRanks: number[];
  /** Expected documents with a chunk in the first k. */
  foundDocs: number;
  expectedDocs: number;
  k: number;
}

export function rankRelevance(retrievedDocIds: readonly string[], expectedDocIds: readonly string[], k: number): RankedRelevance {
  const expected = new Set(expectedDocIds);
  const top = retrievedDocIds.slice(0, k);
  const relevantRanks = top.flatMap((id, i) => (expected.has(id) ? [i + 1] : []));
  const foundDocs = new Set(top.filter((id) => expected.has(id))).size;
  return { relevantRanks, foundDocs, expectedDocs: expected.size, k };
}

export function hitAtK(r: RankedRelevance): number {
  return r.relevantRanks.length > 0 ? 1 : 0;
}

export function precisionAtK(r: RankedRelevance): number {
  return r.relevantRanks.length / r.k;
}

export function recallAtK(r: RankedRelevance): number {
  return r.expectedDocs === 0 ? 0 : r.foundDocs / r.expectedDocs;
}

export function reciprocalRank(r: RankedRelevance): number {
  const first = r.relevantRanks[0];
  return first === undefined ? 0 : 1 / first;
}

/** nDCG@k with binary gains, counting each expected document once (at its best-ranked chunk). */
export function ndcgAtK(retrievedDocIds: readonly string[], expectedDocIds: readonly string[], k: number): number {
  const expected = new Set(expectedDocIds);
  const seen = new Set<string>();
  let dcg = 0;
  retrievedDocIds.slice(0, k).forEach((id, i) => {
    if (expected.has(id) && !seen.has(id)) {
      seen.add(id);
      dcg += 1 / Math.log2(i + 2);
    }
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(k, expected.size); i++) ideal += 1 / Math.log2(i + 2);
  return ideal === 0 ? 0 : dcg / ideal;
}

type Metric = "hit" | "precision" | "recall" | "mrr" | "ndcg";

function metricScore(metric: Metric, c: EvalCase, k: number): EvalScore {
  const retrieved = c.retrieved.map((r) => r.docId);
  const expected = c.example.expected.docIds ?? [];
  const r = rankRelevance(retrieved, expected, k);
  const value = {
    hit: () => hitAtK(r),
    precision: () => precisionAtK(r),
    recall: () => recallAtK(r),
    mrr: () => reciprocalRank(r),
    ndcg: () => ndcgAtK(retrieved, expected, k),
  }[metric]();
  const where = r.relevantRanks.length > 0 ? `relevant chunks at ranks ${r.relevantRanks.join(", ")}` : "no relevant chunk";
  const explanation = `${where} of the top ${k} (${Math.min(k, retrieved.length)} retrieved); ${r.foundDocs} of ${r.expectedDocs} expected docs found (${expected.join(", ")}).`;
  const label = metric === "hit" ? (value > 0 ? "hit" : "miss") : value >= 1 ? "perfect" : value > 0 ? "partial" : "miss";
  return makeScore(value, label, explanation, { k, relevantAt: r.relevantRanks.join(","), found: r.foundDocs, expected: r.expectedDocs });
}

export interface RetrievalOptions {
  /** Cut-off rank; the agent retrieves RETRIEVAL_K chunks (default 4). */
  k?: number;
}

/** Applies to examples with expected doc ids. */
export function hasExpectedDocs(c: EvalCase): boolean {
  return (c.example.expected.docIds?.length ?? 0) > 0;
}

/** The five retrieval metrics as evaluators: retrieval.hit@k, precision@k, recall@k, mrr, ndcg@k. */
export function retrievalEvaluators(options: RetrievalOptions = {}): Evaluator[] {
  const k = options.k ?? 4;
  const make = (metric: Metric, name: string): Evaluator => ({
    name,
    kind: "CODE",
    appliesTo: hasExpectedDocs,
    evaluate: syncEvaluate((c) => metricScore(metric, c, k)),
  });
  return [
    make("hit", `retrieval.hit@${k}`),
    make("precision", `retrieval.precision@${k}`),
    make("recall", `retrieval.recall@${k}`),
    make("mrr", "retrieval.mrr"),
    make("ndcg", `retrieval.ndcg@${k}`),
  ];
}
