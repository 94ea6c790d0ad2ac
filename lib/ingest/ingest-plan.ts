import type { Embedder } from "../embeddings/types";
import type { Chunk } from "../vectorstore/types";
import { chunkDocument, textForEmbedding, type ChunkingOptions } from "./chunker";
import { documentHash, type CorpusDocument } from "./corpus";

/**
 * What an ingest must do, whichever store it writes (the on-disk HNSW index or PostgreSQL):
 * compare each corpus document's content hash with the store's manifest, chunk the new and
 * changed ones, and embed their chunks in batches across documents.
 */

/** Bumped when what is embedded for a chunk changes, so every document re-embeds. */
const EMBED_FORMAT = 1;

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

export interface DocumentWork {
  doc: CorpusDocument;
  hash: string;
  chunks: Chunk[];
}

export interface PlanInput {
  docs: CorpusDocument[];
  /** The content hash each stored document was ingested with. */
  storedHashes: ReadonlyMap<string, string>;
  rebuild: boolean;
  chunking: ChunkingOptions;
  modelName: string;
}

export async function planIngest(input: PlanInput): Promise<{ plan: IngestPlan; work: DocumentWork[] }> {
  const salt = { chunkSize: input.chunking.size, chunkOverlap: input.chunking.overlap, model: input.modelName, embedFormat: EMBED_FORMAT };
  const plan: IngestPlan = {
    documents: input.docs.length,
    added: [],
    updated: [],
    removed: [],
    unchanged: [],
    chunksToEmbed: 0,
    rebuild: input.rebuild,
  };
  const work: DocumentWork[] = [];
  const present = new Set<string>();
  for (const doc of input.docs) {
    present.add(doc.id);
    const hash = documentHash(doc, salt);
    const existing = input.storedHashes.get(doc.id);
    if (existing === hash) {
      plan.unchanged.push(doc.id);
      continue;
    }
    (existing === undefined ? plan.added : plan.updated).push(doc.id);
    const chunks = await chunkDocument(doc, input.chunking);
    work.push({ doc, hash, chunks });
    plan.chunksToEmbed += chunks.length;
  }
  for (const docId of input.storedHashes.keys()) {
    if (!present.has(docId)) plan.removed.push(docId);
  }
  return { plan, work };
}

/** Embeds every chunk of `work` in batches of `batchSize`; vectors come back in chunk order. */
export async function embedWork(
  work: readonly DocumentWork[],
  embedder: Embedder,
  batchSize: number,
  onProgress?: (chunksEmbedded: number, chunksToEmbed: number) => void,
): Promise<Float32Array[]> {
  const allChunks = work.flatMap((w) => w.chunks);
  const vectors: Float32Array[] = [];
  const size = Math.max(1, batchSize);
  for (let i = 0; i < allChunks.length; i += size) {
    const batch = allChunks.slice(i, i + size);
    vectors.push(...(await embedder.embedDocuments(batch.map(textForEmbedding))));
    onProgress?.(vectors.length, allChunks.length);
  }
  return vectors;
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
