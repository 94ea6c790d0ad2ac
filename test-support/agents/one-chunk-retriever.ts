import type { TwoStepRetriever } from "@/lib/telemetry/traced-retriever";
import type { ScoredChunk } from "@/lib/vectorstore/types";
import { HashingTestEmbedder } from "@/test-support/embeddings/hashing-test-embedder";

/** The one passage the in-memory retriever below always finds. */
export const RETURNS_CHUNK: ScoredChunk = {
  id: "returns-policy#1",
  docId: "returns-policy",
  title: "Returns Policy",
  topic: "policy",
  text: "You can return a product within 45 days of delivery.",
  start: 0,
  end: 53,
  score: 0.61,
};

/** A two-step retriever (embed, then search) that embeds for real with the hashing embedder and always answers RETURNS_CHUNK. */
export function oneChunkRetriever(embedder = new HashingTestEmbedder()): TwoStepRetriever {
  return {
    modelName: "test-embedder",
    embedQuery: (q) => embedder.embedQuery(q),
    searchVector: () => Promise.resolve([RETURNS_CHUNK]),
    search: () => Promise.resolve([RETURNS_CHUNK]),
  };
}
