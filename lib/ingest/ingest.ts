import path from "node:path";
import { withFileLock } from "../fs/file-lock";
import { AppError } from "../errors";
import type { Embedder } from "../embeddings/types";
import { HnswStore } from "../vectorstore/hnsw-store";
import type { HnswParams } from "../vectorstore/hnsw-store-files";
import type { ChunkingOptions } from "./chunker";
import { loadCorpus } from "./corpus";
import { embedWork, formatIngestSummary, planIngest, type IngestPlan, type IngestSummary } from "./ingest-plan";

export interface IngestOptions {
  corpusDir: string;
  indexDir: string;
  chunking: ChunkingOptions;
  embedder: Embedder;
  /** Chunks per `embedDocuments` call (progress granularity); default 32. */
  batchSize?: number;
  hnsw?: Partial<HnswParams>;
  /** Called once the plan is known with the number of chunks to embed. */
  onPlan?: (plan: IngestPlan) => void;
  /** Called after each embedded batch with the running total. */
  onProgress?: (chunksEmbedded: number, chunksToEmbed: number) => void;
}

export { formatIngestSummary, type IngestPlan, type IngestSummary };

async function openStore(options: IngestOptions): Promise<{ store: HnswStore; rebuild: boolean }> {
  const { embedder, indexDir } = options;
  if (HnswStore.exists(indexDir)) {
    try {
      const store = await HnswStore.load(indexDir, {
        expectedModel: embedder.modelName,
        expectedDimensions: embedder.dimensions,
      });
      return { store, rebuild: false };
    } catch (error) {
      // Unreadable, foreign or from another model: rebuild it from the corpus.
      if (!(error instanceof AppError && error.code === "index_missing")) throw error;
    }
  }
  const store = HnswStore.create({
    dir: indexDir,
    dimensions: embedder.dimensions,
    modelName: embedder.modelName,
    params: options.hnsw,
  });
  return { store, rebuild: true };
}

/**
 * Chunks, embeds and indexes the corpus incrementally: a document whose content hash
 * is unchanged is not re-embedded, a changed one is replaced, a deleted one removed.
 * One ingest per index at a time, across processes: a second one is refused at once
 * (`resource_busy`) instead of deleting the first one's files.
 */
export function ingestCorpus(options: IngestOptions): Promise<IngestSummary> {
  return withFileLock(options.indexDir, () => ingestLocked(options), { what: `the index ${path.basename(options.indexDir)}`, waitMs: 0 });
}

async function ingestLocked(options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const docs = loadCorpus(options.corpusDir);
  const { store, rebuild } = await openStore(options);
  const storedHashes = new Map(store.documents().map((record) => [record.docId, record.hash]));
  const { plan, work } = await planIngest({
    docs,
    storedHashes,
    rebuild,
    chunking: options.chunking,
    modelName: options.embedder.modelName,
  });
  options.onPlan?.(plan);

  // Embed across documents in batches, then upsert each document whole.
  const vectors = await embedWork(work, options.embedder, options.batchSize ?? 32, options.onProgress);
  let offset = 0;
  for (const { doc, hash, chunks } of work) {
    store.upsertDocument(
      { docId: doc.id, hash, title: doc.title, topic: doc.topic, updated: doc.updated, source: doc.source },
      chunks,
      vectors.slice(offset, offset + chunks.length),
    );
    offset += chunks.length;
  }
  for (const docId of plan.removed) store.deleteDocument(docId);

  const changed = rebuild || work.length > 0 || plan.removed.length > 0;
  if (changed) await store.save();
  return {
    added: plan.added.length,
    updated: plan.updated.length,
    removed: plan.removed.length,
    unchanged: plan.unchanged.length,
    chunksEmbedded: vectors.length,
    ms: Math.round(performance.now() - started),
    documents: store.documents().length,
    chunks: store.size,
    rebuilt: rebuild,
    saved: changed,
  };
}
