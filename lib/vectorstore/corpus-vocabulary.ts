import { contentWords } from "../quality/text";
import { HnswStore } from "./hnsw-store";
import type { Chunk } from "./types";

/** The content words of every chunk and title (see lib/quality/text.ts contentWords). */
export function vocabularyOf(chunks: Iterable<Pick<Chunk, "title" | "text">>): Set<string> {
  const words = new Set<string>();
  for (const chunk of chunks) for (const word of contentWords(`${chunk.title}\n${chunk.text}`)) words.add(word);
  return words;
}

/** A store that lists its chunks asynchronously (PostgreSQL). */
interface ListsEntries {
  entries(): Promise<{ chunk: Chunk }[]>;
}

const byStore = new WeakMap<object, Promise<Set<string>>>();

async function chunksOf(store: HnswStore | ListsEntries): Promise<Chunk[]> {
  if (store instanceof HnswStore) {
    return store.documents().flatMap((doc) => doc.chunkIds.map((id) => store.getChunk(id)).filter((c) => c !== undefined));
  }
  return (await store.entries()).map((entry) => entry.chunk);
}

/**
 * The vocabulary of an open store, computed once per store object: a re-ingest into the
 * on-disk index loads a new store, and a new vocabulary with it.
 */
export function storeVocabulary(store: HnswStore | ListsEntries): Promise<ReadonlySet<string>> {
  let words = byStore.get(store);
  if (!words) {
    words = chunksOf(store).then(vocabularyOf);
    byStore.set(store, words);
    words.catch(() => byStore.delete(store));
  }
  return words;
}
