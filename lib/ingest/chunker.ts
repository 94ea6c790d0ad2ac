import { RecursiveCharacterTextSplitter } from "@langchain/textsplitters";
import type { Chunk } from "../vectorstore/types";
import type { CorpusDocument } from "./corpus";

export interface ChunkingOptions {
  size: number;
  overlap: number;
}

/** Splits a document body into chunks with character offsets into the body. */
export async function chunkDocument(doc: CorpusDocument, options: ChunkingOptions): Promise<Chunk[]> {
  const splitter = new RecursiveCharacterTextSplitter({ chunkSize: options.size, chunkOverlap: options.overlap });
  const pieces = await splitter.splitText(doc.body);
  const chunks: Chunk[] = [];
  let cursor = 0;
  for (const [ordinal, text] of pieces.entries()) {
    const { start, end } = locate(doc.body, text, cursor);
    cursor = start + 1;
    chunks.push({
      id: `${doc.id}#${ordinal}`,
      docId: doc.id,
      title: doc.title,
      topic: doc.topic,
      text,
      start,
      end,
      effective: doc.effective,
      ...(doc.supersededBy ? { supersededBy: doc.supersededBy } : {}),
    });
  }
  return chunks;
}

/**
 * Where `piece` sits in `body`, searching forward from `from` (chunks come in order
 * and may overlap). The splitter only trims and re-joins on the separator it split on,
 * so pieces are normally verbatim substrings; if one is not, match it with flexible
 * whitespace instead.
 */
export function locate(body: string, piece: string, from: number): { start: number; end: number } {
  const exact = body.indexOf(piece, from);
  if (exact >= 0) return { start: exact, end: exact + piece.length };
  const again = body.indexOf(piece);
  if (again >= 0) return { start: again, end: again + piece.length };
  const escaped = piece
    .trim()
    .split(/\s+/)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join("\\s+");
  const re = new RegExp(escaped, "g");
  re.lastIndex = Math.min(from, body.length);
  const m = re.exec(body) ?? ((re.lastIndex = 0), re.exec(body));
  if (m) return { start: m.index, end: m.index + m[0].length };
  // Should not happen; keep the chunk with an approximate position rather than drop it.
  const start = Math.min(from, body.length);
  return { start, end: Math.min(body.length, start + piece.length) };
}

/** The text that is embedded for a chunk: its document title, then the chunk. */
export function textForEmbedding(chunk: Pick<Chunk, "title" | "text">): string {
  return `${chunk.title}\n\n${chunk.text}`;
}
