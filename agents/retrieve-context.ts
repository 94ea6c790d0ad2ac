import type { Turn } from "@/lib/sessions/session-store";
import type { Retriever, ScoredChunk } from "@/lib/vectorstore/types";
import { preferCurrentDocuments } from "./current-documents";
import { rewriteQuery } from "./query-rewrite";

/**
 * Retrieval queries for a turn: the message itself and, in a conversation, the standalone
 * question a follow-up was rewritten into (./query-rewrite.ts: "and for opened items?" after
 * "What is the return window?" searches "What is the return window for opened items?"), or,
 * when the rules could not rewrite it, the message joined to the previous question. The last
 * query is the one evidence sentences are chosen by: the rewritten question, so the answer
 * follows the narrowed question and not the previous one.
 */
export function retrievalQueries(message: string, history: readonly Turn[]): string[] {
  const previous = history.at(-1)?.user;
  if (!previous) return [message];
  const rewrite = rewriteQuery(message, history);
  return [message, rewrite.rewritten ? rewrite.query : `${previous}\n${message}`];
}

/** The query evidence units are chosen by: the last of retrievalQueries. */
export function evidenceQuery(message: string, history: readonly Turn[]): string {
  return retrievalQueries(message, history).at(-1) ?? message;
}

/**
 * What a turn asks, on its own terms: the standalone question a follow-up was rewritten into,
 * else the message itself. Unlike the evidence query, never the previous question joined to the
 * message: the previous question's words are not this turn's subject.
 */
export function askedQuestion(message: string, history: readonly Turn[]): string {
  if (history.length === 0) return message;
  const rewrite = rewriteQuery(message, history);
  return rewrite.rewritten ? rewrite.query : message;
}

/**
 * Runs every query and keeps each chunk's best score, highest first, with superseded documents
 * left out unless the message asks about the past (each query fetches twice `k`, so the current
 * version's passages fill the places the old one leaves).
 */
export async function retrieveForTurn(retriever: Retriever, message: string, history: readonly Turn[], k: number): Promise<ScoredChunk[]> {
  const results = await Promise.all(retrievalQueries(message, history).map((q) => retriever.search(q, { k: 2 * k })));
  const best = new Map<string, ScoredChunk>();
  for (const chunk of results.flat()) {
    const seen = best.get(chunk.id);
    if (!seen || chunk.score > seen.score) best.set(chunk.id, chunk);
  }
  const ranked = [...best.values()].sort((a, b) => b.score - a.score);
  return preferCurrentDocuments(message, ranked).slice(0, k);
}
