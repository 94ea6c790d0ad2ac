import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import hnswlib from "hnswlib-node";
import { AppError } from "../errors";
import { writeFileAtomic } from "../fs/write-file-atomic";
import type { Chunk } from "./types";

/**
 * The files a saved `HnswStore` consists of, and how they are written and read back safely:
 * an hnswlib index file `index-<stamp>.hnsw` and `docstore.json`, which names that file with its
 * size and hash. The docstore is the commit point: it is replaced atomically only once the new
 * index file is complete, so a crash at any point leaves the previous pair loadable, and a
 * reader refuses a pair that does not match (`index_missing`).
 */

const { HierarchicalNSW } = hnswlib;
export type HnswIndex = InstanceType<typeof HierarchicalNSW>;

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

/** A chunk with its hnswlib label, as the docstore keeps it. */
export interface StoredChunk extends Chunk {
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

/** What a store saves besides the index itself. */
interface StoreContents {
  embedding: { model: string; dimensions: number };
  nextLabel: number;
  params: HnswParams;
  documents: DocumentRecord[];
  chunks: StoredChunk[];
}

/** A saved store read back: its contents, the index file's name and the index loaded from it. */
interface SavedStore extends StoreContents {
  indexFile: string;
  index: HnswIndex;
}

/** Checks a load makes against the docstore; a mismatch is `index_missing` (re-ingest). */
export interface SavedStoreExpectations {
  expectedModel?: string;
  expectedDimensions?: number;
}

function sha256File(file: string): string {
  return crypto
    .createHash("sha256")
    .update(new Uint8Array(fs.readFileSync(file)))
    .digest("hex");
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

function readDocstore(dir: string, expectations: SavedStoreExpectations): DocstoreFile {
  const docstorePath = path.join(dir, DOCSTORE_FILE);
  if (!fs.existsSync(docstorePath)) throw indexMissing(dir, `${DOCSTORE_FILE} not found`);
  let data: DocstoreFile;
  try {
    data = JSON.parse(fs.readFileSync(docstorePath, "utf8")) as DocstoreFile;
  } catch (error) {
    throw indexMissing(dir, `${DOCSTORE_FILE} is not valid JSON: ${(error as Error).message}`);
  }
  if (data?.format !== DOCSTORE_FORMAT || data.version !== DOCSTORE_VERSION) {
    throw indexMissing(dir, `${DOCSTORE_FILE} has an unknown format`);
  }
  if (expectations.expectedModel && data.embedding.model !== expectations.expectedModel) {
    throw indexMissing(dir, `index built with ${data.embedding.model}, expected ${expectations.expectedModel}`);
  }
  if (expectations.expectedDimensions && data.embedding.dimensions !== expectations.expectedDimensions) {
    throw indexMissing(dir, `index has ${data.embedding.dimensions} dimensions, expected ${expectations.expectedDimensions}`);
  }
  return data;
}

/** Reads the docstore in `dir` (resolved) and the index file it names; any missing, foreign or inconsistent file → `index_missing`. */
export function readSavedStore(dir: string, expectations: SavedStoreExpectations): SavedStore {
  const data = readDocstore(dir, expectations);
  const indexPath = path.join(dir, path.basename(data.index.file));
  if (!fs.existsSync(indexPath)) throw indexMissing(dir, `${data.index.file} not found`);
  if (fs.statSync(indexPath).size !== data.index.bytes) {
    throw indexMissing(dir, `${data.index.file} has the wrong size (truncated or replaced)`);
  }
  const index = new HierarchicalNSW("cosine", data.embedding.dimensions);
  try {
    index.readIndexSync(indexPath, true);
  } catch (error) {
    throw indexMissing(dir, `${data.index.file} could not be read: ${(error as Error).message}`);
  }
  return {
    embedding: data.embedding,
    nextLabel: data.index.nextLabel,
    params: { ...DEFAULT_HNSW_PARAMS, ...data.index.params },
    documents: data.documents,
    chunks: data.chunks,
    indexFile: path.basename(indexPath),
    index,
  };
}

/**
 * Writes `index` to a new `index-<stamp>.hnsw` in `dir`, then replaces `docstore.json` (which
 * names that file, its size and hash) atomically. Returns the new index file's name.
 */
export function writeSavedStore(dir: string, index: HnswIndex, contents: StoreContents): string {
  fs.mkdirSync(dir, { recursive: true });
  const stamp = `${Date.now().toString(36)}-${process.pid}-${crypto.randomBytes(3).toString("hex")}`;
  const indexFile = `${INDEX_PREFIX}${stamp}${INDEX_SUFFIX}`;
  const indexPath = path.join(dir, indexFile);
  const tmpIndex = `${indexPath}.tmp`;
  try {
    index.writeIndexSync(tmpIndex);
    fsyncPath(tmpIndex);
    fs.renameSync(tmpIndex, indexPath);
    const data: DocstoreFile = {
      format: DOCSTORE_FORMAT,
      version: DOCSTORE_VERSION,
      savedAt: new Date().toISOString(),
      embedding: contents.embedding,
      index: {
        file: indexFile,
        bytes: fs.statSync(indexPath).size,
        sha256: sha256File(indexPath),
        space: "cosine",
        maxElements: index.getMaxElements(),
        nextLabel: contents.nextLabel,
        params: contents.params,
      },
      documents: contents.documents,
      chunks: contents.chunks,
    };
    writeFileAtomic(path.join(dir, DOCSTORE_FILE), JSON.stringify(data)); // the commit point
  } catch (error) {
    for (const f of [tmpIndex, indexPath]) fs.rmSync(f, { force: true });
    throw new AppError("internal", `Could not save the index to ${dir}: ${(error as Error).message}`, { cause: error });
  }
  return indexFile;
}

/** Best effort: drops index files no docstore points to any more, and temp files a crashed save left. */
export function removeStaleFiles(dir: string, currentIndexFile: string): void {
  for (const name of fs.readdirSync(dir)) {
    const staleIndex = name.startsWith(INDEX_PREFIX) && name !== currentIndexFile;
    const staleDocstore = (name.startsWith(`${DOCSTORE_FILE}.`) || name.startsWith(`.${DOCSTORE_FILE}.`)) && name.endsWith(".tmp");
    if (staleIndex || staleDocstore) fs.rmSync(path.join(dir, name), { force: true });
  }
}
