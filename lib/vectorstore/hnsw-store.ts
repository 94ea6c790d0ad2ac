import fs from "node:fs";
import path from "node:path";
import hnswlib from "hnswlib-node";
import { AppError } from "../errors";
import {
  DEFAULT_HNSW_PARAMS,
  DOCSTORE_FILE,
  readSavedStore,
  removeStaleFiles,
  writeSavedStore,
  type DocumentRecord,
  type HnswIndex,
  type HnswParams,
  type SavedStoreExpectations,
  type StoredChunk,
} from "./hnsw-store-files";
import type { Chunk, ScoredChunk, SearchOptions, VectorSearcher } from "./types";

const { HierarchicalNSW } = hnswlib;

export interface CreateStoreOptions {
  /** Directory for the index and docstore (config `indexDir`). */
  dir: string;
  dimensions: number;
  /** Embedding model the vectors come from; checked on load. */
  modelName: string;
  params?: Partial<HnswParams>;
  initialCapacity?: number;
}

export interface LoadStoreOptions extends SavedStoreExpectations {
  efSearch?: number;
}

const toArray = (v: Float32Array | number[]): number[] => (Array.isArray(v) ? v : Array.from(v));

/**
 * An HNSW index (`hnswlib-node`, cosine space) plus a JSON docstore beside it.
 *
 * Scores are cosine similarities (hnswlib returns the distance `1 - cos`).
 * Deleting a document marks its labels deleted; new points reuse deleted slots.
 * `save()` is atomic: the index goes to a fresh file, then the docstore that names
 * it is written to a temp file and renamed over `docstore.json`. A crash at any
 * point leaves the previous (docstore, index) pair loadable.
 */
export class HnswStore implements VectorSearcher {
  readonly dir: string;
  readonly dimensions: number;
  readonly modelName: string;
  readonly params: HnswParams;
  private index: HnswIndex;
  private nextLabel = 0;
  private readonly chunksByLabel = new Map<number, StoredChunk>();
  private readonly labelsById = new Map<string, number>();
  private readonly docs = new Map<string, DocumentRecord>();
  private dirty = false;
  private savedIndexFile: string | undefined;

  private constructor(dir: string, dimensions: number, modelName: string, params: HnswParams, index: HnswIndex) {
    this.dir = path.resolve(dir);
    this.dimensions = dimensions;
    this.modelName = modelName;
    this.params = params;
    this.index = index;
  }

  /** A new, empty, in-memory store (nothing is written until `save()`). */
  static create(options: CreateStoreOptions): HnswStore {
    const params = { ...DEFAULT_HNSW_PARAMS, ...options.params };
    const index = new HierarchicalNSW("cosine", options.dimensions);
    index.initIndex({
      maxElements: Math.max(16, options.initialCapacity ?? 1024),
      m: params.m,
      efConstruction: params.efConstruction,
      randomSeed: params.randomSeed,
      allowReplaceDeleted: true,
    });
    const store = new HnswStore(options.dir, options.dimensions, options.modelName, params, index);
    store.dirty = true;
    store.index.setEf(params.efSearch);
    return store;
  }

  static exists(dir: string): boolean {
    return fs.existsSync(path.join(dir, DOCSTORE_FILE));
  }

  /** Loads a saved store; any missing, foreign or inconsistent file → `index_missing`. */
  static load(dir: string, options: LoadStoreOptions = {}): Promise<HnswStore> {
    // The work is synchronous; a throw inside the executor becomes the rejection.
    return new Promise((resolve) => resolve(HnswStore.loadRetryingOnce(dir, options)));
  }

  private static loadRetryingOnce(dir: string, options: LoadStoreOptions): HnswStore {
    try {
      return HnswStore.loadOnce(dir, options);
    } catch (error) {
      // A save may have swapped docstore and index files between our two reads: try once more.
      if (error instanceof AppError && error.code === "index_missing" && HnswStore.exists(dir)) return HnswStore.loadOnce(dir, options);
      throw error;
    }
  }

  private static loadOnce(dir: string, options: LoadStoreOptions): HnswStore {
    const resolved = path.resolve(dir);
    const saved = readSavedStore(resolved, options);
    const params = saved.params;
    if (options.efSearch) params.efSearch = options.efSearch;
    const store = new HnswStore(resolved, saved.embedding.dimensions, saved.embedding.model, params, saved.index);
    store.nextLabel = saved.nextLabel;
    for (const chunk of saved.chunks) {
      store.chunksByLabel.set(chunk.label, chunk);
      store.labelsById.set(chunk.id, chunk.label);
    }
    for (const doc of saved.documents) store.docs.set(doc.docId, doc);
    store.savedIndexFile = saved.indexFile;
    store.index.setEf(params.efSearch);
    return store;
  }

  /** Live chunks. */
  get size(): number {
    return this.chunksByLabel.size;
  }

  get capacity(): number {
    return this.index.getMaxElements();
  }

  get isDirty(): boolean {
    return this.dirty;
  }

  /** Absolute paths of the files a saved store consists of. */
  get files(): { docstore: string; index?: string } {
    return {
      docstore: path.join(this.dir, DOCSTORE_FILE),
      index: this.savedIndexFile ? path.join(this.dir, this.savedIndexFile) : undefined,
    };
  }

  setEfSearch(ef: number): void {
    this.params.efSearch = Math.max(1, Math.floor(ef));
    this.index.setEf(this.params.efSearch);
  }

  documents(): DocumentRecord[] {
    return [...this.docs.values()];
  }

  getDocument(docId: string): DocumentRecord | undefined {
    return this.docs.get(docId);
  }

  getChunk(id: string): Chunk | undefined {
    const label = this.labelsById.get(id);
    const chunk = label === undefined ? undefined : this.chunksByLabel.get(label);
    return chunk ? stripLabel(chunk) : undefined;
  }

  /** Every live chunk with its (normalised) vector, e.g. for exact search. */
  *entries(): IterableIterator<{ chunk: Chunk; vector: Float32Array }> {
    for (const [label, chunk] of this.chunksByLabel) {
      yield { chunk: stripLabel(chunk), vector: Float32Array.from(this.index.getPoint(label)) };
    }
  }

  /** Adds chunks with their vectors; a chunk id already present is replaced. */
  addChunks(chunks: Chunk[], vectors: Float32Array[]): void {
    if (chunks.length !== vectors.length) {
      throw new AppError("internal", `addChunks: ${chunks.length} chunks but ${vectors.length} vectors`);
    }
    for (const [i, chunk] of chunks.entries()) {
      const vector = vectors[i] as Float32Array;
      if (vector.length !== this.dimensions) {
        throw new AppError("internal", `Vector for ${chunk.id} has ${vector.length} dimensions, expected ${this.dimensions}`);
      }
      this.deleteChunk(chunk.id);
      this.ensureCapacity(1);
      const label = this.nextLabel++;
      // replaceDeleted: reuse a slot freed by markDelete when there is one.
      this.index.addPoint(toArray(vector), label, true);
      const stored: StoredChunk = { ...chunk, label };
      this.chunksByLabel.set(label, stored);
      this.labelsById.set(chunk.id, label);
    }
    if (chunks.length > 0) this.dirty = true;
  }

  /** Removes a chunk (hnswlib `markDelete`); false when it was not there. */
  deleteChunk(id: string): boolean {
    const label = this.labelsById.get(id);
    if (label === undefined) return false;
    this.index.markDelete(label);
    this.labelsById.delete(id);
    this.chunksByLabel.delete(label);
    this.dirty = true;
    return true;
  }

  /** Replaces a document: its old chunks go, the given chunks and record come in. */
  upsertDocument(record: Omit<DocumentRecord, "chunkIds">, chunks: Chunk[], vectors: Float32Array[]): void {
    this.deleteDocument(record.docId);
    this.addChunks(chunks, vectors);
    this.docs.set(record.docId, { ...record, chunkIds: chunks.map((c) => c.id) });
    this.dirty = true;
  }

  /** Removes a document and all its chunks; false when it was not there. */
  deleteDocument(docId: string): boolean {
    const record = this.docs.get(docId);
    if (!record) return false;
    for (const id of record.chunkIds) this.deleteChunk(id);
    this.docs.delete(docId);
    this.dirty = true;
    return true;
  }

  private ensureCapacity(extra: number): void {
    // getCurrentCount counts deleted slots too, but those are reused by replaceDeleted,
    // so live chunks + extra is what must fit.
    const needed = this.chunksByLabel.size + extra;
    const max = this.index.getMaxElements();
    if (needed > max) this.index.resizeIndex(Math.max(needed, Math.ceil(max * 1.5)));
  }

  /**
   * Approximate nearest neighbours by cosine similarity. `topic` is applied inside the
   * graph search through hnswlib's filter callback, so `k` results of that topic come
   * back when they exist.
   */
  searchVector(vector: Float32Array, options: SearchOptions): ScoredChunk[] {
    if (vector.length !== this.dimensions) {
      throw new AppError("internal", `Query vector has ${vector.length} dimensions, expected ${this.dimensions}`);
    }
    const k = Math.min(Math.max(0, Math.floor(options.k)), this.size);
    if (k === 0) return [];
    const ef = Math.max(this.params.efSearch, k);
    this.index.setEf(ef);
    const topic = options.topic;
    const filter = topic === undefined ? undefined : (label: number) => this.chunksByLabel.get(label)?.topic === topic;
    const { distances, neighbors } = this.index.searchKnn(toArray(vector), Math.min(k, this.index.getMaxElements()), filter);
    const results: ScoredChunk[] = [];
    neighbors.forEach((label, i) => {
      const chunk = this.chunksByLabel.get(label);
      if (chunk) results.push({ ...stripLabel(chunk), score: 1 - (distances[i] ?? 1) });
    });
    return results;
  }

  /**
   * Writes the store to `dir` atomically (see `./hnsw-store-files`): a new index file, then the
   * docstore that names it; older index files are removed afterwards. Synchronous inside, so no
   * change can slip in between writing the index and the docstore that describes it.
   */
  save(): Promise<void> {
    return new Promise((resolve) => {
      const indexFile = writeSavedStore(this.dir, this.index, {
        embedding: { model: this.modelName, dimensions: this.dimensions },
        nextLabel: this.nextLabel,
        params: this.params,
        documents: [...this.docs.values()].sort((a, b) => a.docId.localeCompare(b.docId)),
        chunks: [...this.chunksByLabel.values()].sort((a, b) => a.label - b.label),
      });
      this.savedIndexFile = indexFile;
      this.dirty = false;
      removeStaleFiles(this.dir, indexFile);
      resolve();
    });
  }

  /** Bytes on disk of the saved index file and docstore. */
  diskUsage(): { indexBytes: number; docstoreBytes: number; totalBytes: number } {
    const { docstore, index } = this.files;
    const indexBytes = index && fs.existsSync(index) ? fs.statSync(index).size : 0;
    const docstoreBytes = fs.existsSync(docstore) ? fs.statSync(docstore).size : 0;
    return { indexBytes, docstoreBytes, totalBytes: indexBytes + docstoreBytes };
  }
}

function stripLabel(chunk: StoredChunk): Chunk {
  const { label: _label, ...rest } = chunk;
  return rest;
}
