import type { ScoredChunk } from "@/lib/vectorstore/types";
import type { Source } from "./contract";

const SNIPPET_CHARS = 240;

/** A retrieved chunk as the client sees it: a one-line snippet plus the full text. */
export function toSource(chunk: ScoredChunk): Source {
  const flat = chunk.text
    .replace(/^#+\s*/gm, "")
    .replace(/\s+/g, " ")
    .trim();
  return {
    id: chunk.id,
    docId: chunk.docId,
    title: chunk.title,
    snippet: flat.length > SNIPPET_CHARS ? `${flat.slice(0, SNIPPET_CHARS)}…` : flat,
    text: chunk.text,
    score: Number(chunk.score.toFixed(4)),
  };
}
