import type { ScoredChunk } from "@/lib/vectorstore/types";

/**
 * Current documents over superseded ones. When an old version of a policy or price list and its
 * replacement both match, an answer drawn from the old one is wrong today; so a superseded
 * document's passages are kept only when the question asks about the past: in words ("previous",
 * "used to", "what changed") or by naming a year no later than the old document's own.
 */

// Generic temporal phrasing, not tuned to any dataset: words that point at an earlier state.
const PAST_WORDS =
  /\b(previous(ly)?|prior|old(er)?|former(ly)?|earlier|used to|originally|back (in|then)|last year|no longer|histor(y|ical)|chang(e|ed|es)|superseded|outdated|legacy|replaced)\b/i;
const YEAR = /\b(19|20)\d{2}\b/g;

export function asksAboutThePast(question: string, chunk: Pick<ScoredChunk, "effective">): boolean {
  if (PAST_WORDS.test(question)) return true;
  const effectiveYear = chunk.effective ? Number(chunk.effective.slice(0, 4)) : Number.NaN;
  return [...question.matchAll(YEAR)].some(([year]) => Number(year) <= effectiveYear);
}

/** Drops superseded passages unless the question asks about the past; order is kept. */
export function preferCurrentDocuments(question: string, chunks: readonly ScoredChunk[]): ScoredChunk[] {
  return chunks.filter((chunk) => !chunk.supersededBy || asksAboutThePast(question, chunk));
}
