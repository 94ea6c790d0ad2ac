import { contentWords } from "../quality/text";
import { HnswStore } from "./hnsw-store";
import type { Chunk } from "./types";

/** What the knowledge base's words say about a question's words (agents/answer/abstention.ts). */
export interface CorpusVocabulary {
  /** The content words of every chunk and title (see lib/quality/text.ts contentWords). */
  words: ReadonlySet<string>;
  /**
   * Content words in at least half of the documents: what the whole knowledge base is about (its
   * company, its platform: "acme", "cloud"), which a passage may leave unsaid without being off
   * the question's subject.
   */
  common: ReadonlySet<string>;
}

const COMMON_DOCUMENT_SHARE = 0.5;

export function vocabularyOf(chunks: Iterable<Pick<Chunk, "docId" | "title" | "text">>): CorpusVocabulary {
  const wordsByDoc = new Map<string, Set<string>>();
  for (const chunk of chunks) {
    const docWords = wordsByDoc.get(chunk.docId) ?? new Set<string>();
    for (const word of contentWords(`${chunk.title}\n${chunk.text}`)) docWords.add(word);
    wordsByDoc.set(chunk.docId, docWords);
  }
  const documentCount = new Map<string, number>();
  for (const docWords of wordsByDoc.values()) for (const word of docWords) documentCount.set(word, (documentCount.get(word) ?? 0) + 1);
  const threshold = COMMON_DOCUMENT_SHARE * wordsByDoc.size;
  const common = new Set([...documentCount].filter(([, n]) => n >= threshold).map(([word]) => word));
  return { words: new Set(documentCount.keys()), common };
}

/** A store that lists its chunks asynchronously (PostgreSQL), and says which ingest it holds. */
interface ListsChunks {
  listChunks(): Promise<Chunk[]>;
  generation(): Promise<string>;
}

const byStore = new WeakMap<object, { generation: string; words: Promise<CorpusVocabulary> }>();

async function chunksOf(store: HnswStore | ListsChunks): Promise<Chunk[]> {
  if (store instanceof HnswStore) {
    return store.documents().flatMap((doc) => doc.chunkIds.map((id) => store.getChunk(id)).filter((c) => c !== undefined));
  }
  return store.listChunks();
}

/**
 * The vocabulary of an open store, computed once per store object and ingest: a re-ingest into
 * the on-disk index loads a new store, and a new vocabulary with it; a PostgreSQL store stays
 * open while other processes ingest (one replica's `npm run ingest` serves them all), so its
 * generation is asked each time, or a document added since would count as unknown terms.
 */
export async function storeVocabulary(store: HnswStore | ListsChunks): Promise<CorpusVocabulary> {
  const generation = store instanceof HnswStore ? "" : await store.generation();
  let cached = byStore.get(store);
  if (cached?.generation !== generation) {
    const entry = { generation, words: chunksOf(store).then(vocabularyOf) };
    byStore.set(store, entry);
    entry.words.catch(() => {
      if (byStore.get(store) === entry) byStore.delete(store);
    });
    cached = entry;
  }
  return cached.words;
}
