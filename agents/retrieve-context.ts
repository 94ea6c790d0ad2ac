import type { Turn } from "@/lib/sessions/session-store";
import type { Retriever, ScoredChunk } from "@/lib/vectorstore/types";
import { preferCurrentDocuments } from "./current-documents";

/**
 * Retrieval queries for a turn: the message itself and, in a conversation, the message
 * joined to the previous question. A follow-up such as "and how does that compare with
 * Q2?" carries too little on its own, and rewriting it with a 135M-parameter model is
 * less reliable than letting the previous question widen the search.
 */
export function retrievalQueries(message: string, history: Turn[]): string[] {
  const previous = history.at(-1)?.user;
  return previous ? [message, `${previous}\n${message}`] : [message];
}

/**
 * Runs every query and keeps each chunk's best score, highest first, with superseded documents
 * left out unless the message asks about the past (each query fetches twice `k`, so the current
 * version's passages fill the places the old one leaves).
 */
export async function retrieveForTurn(retriever: Retriever, message: string, history: Turn[], k: number): Promise<ScoredChunk[]> {
  const results = await Promise.all(retrievalQueries(message, history).map((q) => retriever.search(q, { k: 2 * k })));
  const best = new Map<string, ScoredChunk>();
  for (const chunk of results.flat()) {
    const seen = best.get(chunk.id);
    if (!seen || chunk.score > seen.score) best.set(chunk.id, chunk);
  }
  const ranked = [...best.values()].sort((a, b) => b.score - a.score);
  return preferCurrentDocuments(message, ranked).slice(0, k);
}
