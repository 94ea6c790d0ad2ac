import type { Embedder } from "@/lib/embeddings/types";
import { dot } from "@/lib/math/vector";
import { splitSentences } from "@/lib/text/sentences";
import type { ScoredChunk } from "@/lib/vectorstore/types";

export interface Evidence {
  sentence: string;
  title: string;
  chunkId: string;
  score: number;
}

/**
 * Picks the sentences of the retrieved chunks that best match the question. The
 * embedded chat models (135M-270M parameters) lose the thread in four 800-character
 * chunks and copy the wrong figure; given three sentences they answer far more often
 * from the right one. Measured on 20 questions of data/README.md with SmolLM2-135M:
 * whole chunks 7/20, top-3 sentences 7/20 best-first and 9/20 best-last, at half the
 * generation time. The best sentence goes last because small models lean on what they
 * read most recently.
 */
export async function selectEvidence(embedder: Embedder, question: string, chunks: ScoredChunk[], count = 3): Promise<Evidence[]> {
  const candidates = chunks.flatMap((chunk) =>
    splitSentences(chunk.text).map((sentence) => ({ sentence, title: chunk.title, chunkId: chunk.id })),
  );
  if (candidates.length === 0) return [];
  // Titles travel with the sentence: "Total revenue: $8,515,801" means nothing without
  // "Q3 2025 Sales Report".
  const [questionVector, ...vectors] = await embedder.embedDocuments([question, ...candidates.map((c) => `${c.title}: ${c.sentence}`)]);
  const scored = candidates.map((candidate, i) => ({ ...candidate, score: dot(questionVector!, vectors[i]!) }));
  return scored
    .sort((a, b) => b.score - a.score)
    .slice(0, count)
    .reverse();
}
