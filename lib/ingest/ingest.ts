import path from "node:path";
import { withFileLock } from "../fs/file-lock";
import { AppError } from "../errors";
import type { Embedder } from "../embeddings/types";
import { HnswStore } from "../vectorstore/hnsw-store";
import type { HnswParams } from "../vectorstore/hnsw-store-files";
import type { Chunk } from "../vectorstore/types";
import { chunkDocument, textForEmbedding, type ChunkingOptions } from "./chunker";
import { documentHash, loadCorpus, type CorpusDocument } from "./corpus";

/** Bumped when what is embedded for a chunk changes, so every document re-embeds. */
const EMBED_FORMAT = 1;

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

export interface IngestPlan {
  documents: number;
  added: string[];
  updated: string[];
  removed: string[];
  unchanged: string[];
  chunksToEmbed: number;
  /** True when no usable index existed (or it was built with another model) and one is built from scratch. */
  rebuild: boolean;
}

export interface IngestSummary {
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  chunksEmbedded: number;
  ms: number;
  /** Documents and live chunks in the index afterwards. */
  documents: number;
  chunks: number;
  rebuilt: boolean;
  /** Whether the index was written (false when nothing changed). */
  saved: boolean;
}

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
  const salt = {
    chunkSize: options.chunking.size,
    chunkOverlap: options.chunking.overlap,
    model: options.embedder.modelName,
    embedFormat: EMBED_FORMAT,
  };

  const plan: IngestPlan = { documents: docs.length, added: [], updated: [], removed: [], unchanged: [], chunksToEmbed: 0, rebuild };
  const work: { doc: CorpusDocument; hash: string; chunks: Chunk[] }[] = [];
  const present = new Set<string>();
  for (const doc of docs) {
    present.add(doc.id);
    const hash = documentHash(doc, salt);
    const existing = store.getDocument(doc.id);
    if (existing && existing.hash === hash) {
      plan.unchanged.push(doc.id);
      continue;
    }
    (existing ? plan.updated : plan.added).push(doc.id);
    const chunks = await chunkDocument(doc, options.chunking);
    work.push({ doc, hash, chunks });
    plan.chunksToEmbed += chunks.length;
  }
  for (const record of store.documents()) {
    if (!present.has(record.docId)) plan.removed.push(record.docId);
  }
  options.onPlan?.(plan);

  // Embed across documents in batches, then upsert each document whole.
  const allChunks = work.flatMap((w) => w.chunks);
  const vectors: Float32Array[] = [];
  const batchSize = Math.max(1, options.batchSize ?? 32);
  for (let i = 0; i < allChunks.length; i += batchSize) {
    const batch = allChunks.slice(i, i + batchSize);
    vectors.push(...(await options.embedder.embedDocuments(batch.map(textForEmbedding))));
    options.onProgress?.(vectors.length, allChunks.length);
  }
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
    chunksEmbedded: allChunks.length,
    ms: Math.round(performance.now() - started),
    documents: store.documents().length,
    chunks: store.size,
    rebuilt: rebuild,
    saved: changed,
  };
}

/** One line a CLI can print. */
export function formatIngestSummary(s: IngestSummary): string {
  const secs = (s.ms / 1000).toFixed(1);
  if (!s.saved) {
    return `Index up to date: ${s.unchanged} documents unchanged, 0 chunks embedded (${s.chunks} chunks indexed, ${secs}s)`;
  }
  return (
    `Indexed ${s.documents} documents (${s.chunks} chunks): ${s.added} added, ${s.updated} updated, ` +
    `${s.removed} removed, ${s.unchanged} unchanged; ${s.chunksEmbedded} chunks embedded in ${secs}s` +
    (s.rebuilt ? " (new index)" : "")
  );
}
