import { contentWords } from "../quality/text";
import { HnswStore } from "./hnsw-store";
import type { Chunk } from "./types";

/** The content words of every chunk and title (see lib/quality/text.ts contentWords). */
export function vocabularyOf(chunks: Iterable<Pick<Chunk, "title" | "text">>): Set<string> {
  const words = new Set<string>();
  for (const chunk of chunks) for (const word of contentWords(`${chunk.title}\n${chunk.text}`)) words.add(word);
  return words;
}

/** A store that lists its chunks asynchronously (PostgreSQL), and says which ingest it holds. */
interface ListsChunks {
  listChunks(): Promise<Chunk[]>;
  generation(): Promise<string>;
}

const byStore = new WeakMap<object, { generation: string; words: Promise<Set<string>> }>();

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
export async function storeVocabulary(store: HnswStore | ListsChunks): Promise<ReadonlySet<string>> {
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
