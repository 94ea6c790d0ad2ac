import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import hnswlib from "hnswlib-node";
import { AppError } from "../errors";
import type { Chunk, ScoredChunk, SearchOptions } from "./types";

const { HierarchicalNSW } = hnswlib;
type HnswIndex = InstanceType<typeof HierarchicalNSW>;

/** The docstore is the commit point of a save: it names the index file it belongs to. */
export const DOCSTORE_FILE = "docstore.json";
const DOCSTORE_FORMAT = "rag-hnsw-docstore";
const DOCSTORE_VERSION = 1;
const INDEX_PREFIX = "index-";
const INDEX_SUFFIX = ".hnsw";

/** What the store remembers about each source document (drives incremental ingest). */
export interface DocumentRecord {
  docId: string;
  /** Content hash of the document as last ingested. */
  hash: string;
  title: string;
  topic: string;
  /** Frontmatter `updated`, as given. */
  updated?: string;
  /** Source file, relative to the corpus directory. */
  source?: string;
  /** Ids of its chunks, in order. */
  chunkIds: string[];
}

export interface HnswParams {
  /** Graph degree (hnswlib `M`). */
  m: number;
  efConstruction: number;
  /** Default `ef` at query time; raised to `k` when `k` is larger. */
  efSearch: number;
  randomSeed: number;
}

export const DEFAULT_HNSW_PARAMS: HnswParams = { m: 16, efConstruction: 200, efSearch: 64, randomSeed: 100 };

interface StoredChunk extends Chunk {
  label: number;
}

interface DocstoreFile {
  format: typeof DOCSTORE_FORMAT;
  version: number;
  savedAt: string;
  embedding: { model: string; dimensions: number };
  index: {
    file: string;
    bytes: number;
    sha256: string;
    space: "cosine";
    maxElements: number;
    nextLabel: number;
    params: HnswParams;
  };
  documents: DocumentRecord[];
  chunks: StoredChunk[];
}

export interface CreateStoreOptions {
  /** Directory for the index and docstore (config `indexDir`). */
  dir: string;
  dimensions: number;
  /** Embedding model the vectors come from; checked on load. */
  modelName: string;
  params?: Partial<HnswParams>;
  initialCapacity?: number;
}

export interface LoadStoreOptions {
  /** When given, a store built with another model is rejected (`index_missing`: re-ingest). */
  expectedModel?: string;
  expectedDimensions?: number;
  efSearch?: number;
}

/** Anything that answers a vector query; HNSW and exact search share this shape. */
export interface VectorSearcher {
  searchVector(vector: Float32Array, options: SearchOptions): ScoredChunk[];
}

const toArray = (v: Float32Array | number[]): number[] => (Array.isArray(v) ? v : Array.from(v));

function sha256File(file: string): string {
  return crypto
    .createHash("sha256")
    .update(new Uint8Array(fs.readFileSync(file)))
    .digest("hex");
}

function writeFileDurable(file: string, data: string): void {
  const fd = fs.openSync(file, "w");
  try {
    fs.writeSync(fd, data, null, "utf8");
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function fsyncPath(file: string): void {
  const fd = fs.openSync(file, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

const indexMissing = (dir: string, why: string) =>
  new AppError("index_missing", `No usable knowledge-base index in ${dir} (${why}): run \`npm run ingest\``);

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
  static async load(dir: string, options: LoadStoreOptions = {}): Promise<HnswStore> {
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
    const docstorePath = path.join(resolved, DOCSTORE_FILE);
    if (!fs.existsSync(docstorePath)) throw indexMissing(resolved, `${DOCSTORE_FILE} not found`);
    let data: DocstoreFile;
    try {
      data = JSON.parse(fs.readFileSync(docstorePath, "utf8")) as DocstoreFile;
    } catch (error) {
      throw indexMissing(resolved, `${DOCSTORE_FILE} is not valid JSON: ${(error as Error).message}`);
    }
    if (data?.format !== DOCSTORE_FORMAT || data.version !== DOCSTORE_VERSION) {
      throw indexMissing(resolved, `${DOCSTORE_FILE} has an unknown format`);
    }
    if (options.expectedModel && data.embedding.model !== options.expectedModel) {
      throw indexMissing(resolved, `index built with ${data.embedding.model}, expected ${options.expectedModel}`);
    }
    if (options.expectedDimensions && data.embedding.dimensions !== options.expectedDimensions) {
      throw indexMissing(resolved, `index has ${data.embedding.dimensions} dimensions, expected ${options.expectedDimensions}`);
    }
    const indexPath = path.join(resolved, path.basename(data.index.file));
    if (!fs.existsSync(indexPath)) throw indexMissing(resolved, `${data.index.file} not found`);
    if (fs.statSync(indexPath).size !== data.index.bytes) {
      throw indexMissing(resolved, `${data.index.file} has the wrong size (truncated or replaced)`);
    }
    const index = new HierarchicalNSW("cosine", data.embedding.dimensions);
    try {
      index.readIndexSync(indexPath, true);
    } catch (error) {
      throw indexMissing(resolved, `${data.index.file} could not be read: ${(error as Error).message}`);
    }
    const params = { ...DEFAULT_HNSW_PARAMS, ...data.index.params };
    if (options.efSearch) params.efSearch = options.efSearch;
    const store = new HnswStore(resolved, data.embedding.dimensions, data.embedding.model, params, index);
    store.nextLabel = data.index.nextLabel;
    for (const chunk of data.chunks) {
      store.chunksByLabel.set(chunk.label, chunk);
      store.labelsById.set(chunk.id, chunk.label);
    }
    for (const doc of data.documents) store.docs.set(doc.docId, doc);
    store.savedIndexFile = path.basename(indexPath);
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
   * Writes the store to `dir` atomically. The index goes to a new `index-<n>.hnsw`,
   * then `docstore.json` (which names that file, its size and hash) is written to a
   * temp file and renamed into place; older index files are removed afterwards.
   */
  async save(): Promise<void> {
    fs.mkdirSync(this.dir, { recursive: true });
    const stamp = `${Date.now().toString(36)}-${process.pid}-${crypto.randomBytes(3).toString("hex")}`;
    const indexFile = `${INDEX_PREFIX}${stamp}${INDEX_SUFFIX}`;
    const indexPath = path.join(this.dir, indexFile);
    const tmpIndex = `${indexPath}.tmp`;
    const docstorePath = path.join(this.dir, DOCSTORE_FILE);
    const tmpDocstore = `${docstorePath}.${stamp}.tmp`;
    try {
      this.index.writeIndexSync(tmpIndex);
      fsyncPath(tmpIndex);
      fs.renameSync(tmpIndex, indexPath);
      const data: DocstoreFile = {
        format: DOCSTORE_FORMAT,
        version: DOCSTORE_VERSION,
        savedAt: new Date().toISOString(),
        embedding: { model: this.modelName, dimensions: this.dimensions },
        index: {
          file: indexFile,
          bytes: fs.statSync(indexPath).size,
          sha256: sha256File(indexPath),
          space: "cosine",
          maxElements: this.index.getMaxElements(),
          nextLabel: this.nextLabel,
          params: this.params,
        },
        documents: [...this.docs.values()].sort((a, b) => a.docId.localeCompare(b.docId)),
        chunks: [...this.chunksByLabel.values()].sort((a, b) => a.label - b.label),
      };
      writeFileDurable(tmpDocstore, JSON.stringify(data));
      fs.renameSync(tmpDocstore, docstorePath); // the commit point
    } catch (error) {
      for (const f of [tmpIndex, tmpDocstore, indexPath]) fs.rmSync(f, { force: true });
      throw new AppError("internal", `Could not save the index to ${this.dir}: ${(error as Error).message}`, { cause: error });
    }
    this.savedIndexFile = indexFile;
    this.dirty = false;
    // Best effort: drop index files no docstore points to any more (and stale temps).
    for (const name of fs.readdirSync(this.dir)) {
      const stale =
        (name.startsWith(INDEX_PREFIX) && name !== indexFile) || (name.startsWith(`${DOCSTORE_FILE}.`) && name.endsWith(".tmp"));
      if (stale) fs.rmSync(path.join(this.dir, name), { force: true });
    }
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

/**
 * Brute-force cosine search over a snapshot of a store's vectors: the ground truth
 * HNSW is measured against. Same `searchVector` shape as `HnswStore`.
 */
export class ExactSearcher implements VectorSearcher {
  private readonly chunks: Chunk[];
  private readonly matrix: Float32Array;
  readonly dimensions: number;

  constructor(store: HnswStore) {
    this.dimensions = store.dimensions;
    const entries = [...store.entries()];
    this.chunks = entries.map((e) => e.chunk);
    this.matrix = new Float32Array(entries.length * this.dimensions);
    entries.forEach((e, i) => this.matrix.set(e.vector, i * this.dimensions));
  }

  searchVector(vector: Float32Array, options: SearchOptions): ScoredChunk[] {
    const d = this.dimensions;
    let norm = 0;
    for (let j = 0; j < d; j++) norm += (vector[j] ?? 0) ** 2;
    norm = Math.sqrt(norm) || 1;
    const k = Math.max(0, Math.floor(options.k));
    const scored: { i: number; score: number }[] = [];
    for (let i = 0; i < this.chunks.length; i++) {
      if (options.topic !== undefined && this.chunks[i]?.topic !== options.topic) continue;
      let dot = 0;
      const base = i * d;
      for (let j = 0; j < d; j++) dot += (this.matrix[base + j] as number) * (vector[j] as number);
      scored.push({ i, score: dot / norm });
    }
    scored.sort((a, b) => b.score - a.score);
    return scored.slice(0, k).map(({ i, score }) => ({ ...(this.chunks[i] as Chunk), score }));
  }
}
