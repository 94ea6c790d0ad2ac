import { embedDocumentsCached } from "@/lib/embeddings/cached-embeddings";
import type { Embedder } from "@/lib/embeddings/types";
import { dot } from "@/lib/math/vector";
import { contentWords } from "@/lib/quality/text";
import { evidenceUnits } from "@/lib/text/evidence-units";
import type { ScoredChunk } from "@/lib/vectorstore/types";

export interface Evidence {
  sentence: string;
  title: string;
  /** The heading (or FAQ question) the sentence sits under; "" when none. */
  context: string;
  chunkId: string;
  docId: string;
  score: number;
}

/**
 * Weight of the share of the question's content words a unit contains, added to its cosine
 * similarity. Chosen on the dev split of evals/datasets/manual.jsonl (36 knowledge-base
 * questions with expected facts; the best unit holds every fact): units alone 18, + 0.1 → 20,
 * + 0.2 → 21, + 0.35 → 21; top three 24 → 26. Embeddings miss exact terms ("payload", an
 * error code) that the question and the answering line share.
 */
const LEXICAL_WEIGHT = 0.2;

/** What the embedder reads for a unit: titles and headings travel with it ("Total revenue: $8,515,801" means nothing without "Q3 2025 Sales Report"). */
export function evidenceText(e: Pick<Evidence, "title" | "context" | "sentence">): string {
  const context = e.context && e.context !== e.title ? ` — ${e.context}` : "";
  return `${e.title}${context}: ${e.sentence}`;
}

function wordShare(questionWords: readonly string[], text: string): number {
  if (questionWords.length === 0) return 0;
  const words = new Set(contentWords(text));
  return questionWords.filter((w) => words.has(w)).length / questionWords.length;
}

/**
 * Picks the evidence units of the retrieved chunks (sentences, list items, table rows read
 * against their header; see lib/text/evidence-units.ts) that best match the question. The
 * embedded chat models (135M-270M parameters) lose the thread in four 800-character chunks
 * and copy the wrong figure; given three sentences they answer far more often from the
 * right one. Measured on 20 questions of data/README.md with SmolLM2-135M: whole chunks
 * 7/20, top-3 sentences 7/20 best-first and 9/20 best-last, at half the generation time. The
 * best sentence goes last because small models lean on what they read most recently.
 */
export async function selectEvidence(embedder: Embedder, question: string, chunks: ScoredChunk[], count = 3): Promise<Evidence[]> {
  const candidates = chunks.flatMap((chunk) =>
    evidenceUnits(chunk.text).map((unit) => ({
      sentence: unit.text,
      context: unit.context,
      title: chunk.title,
      chunkId: chunk.id,
      docId: chunk.docId,
    })),
  );
  if (candidates.length === 0) return [];
  const texts = candidates.map(evidenceText);
  const [questionVector] = await embedder.embedDocuments([question]);
  const vectors = await embedDocumentsCached(embedder, texts);
  const questionWords = [...new Set(contentWords(question))];
  const scored = candidates.map((candidate, i) => ({
    ...candidate,
    score: dot(questionVector!, vectors[i]!) + LEXICAL_WEIGHT * wordShare(questionWords, texts[i]!),
  }));
  return scored
    .sort((a, b) => b.score - a.score)
    .slice(0, count)
    .reverse();
}
