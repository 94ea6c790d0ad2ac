import fs from "node:fs";
import path from "node:path";
import type { AppConfig } from "../config";
import { getEmbedder } from "../embeddings/transformers-embedder";
import type { Embedder } from "../embeddings/types";
import { AppError } from "../errors";
import { getPool } from "../postgres/pool";
import { HnswStore } from "./hnsw-store";
import { DOCSTORE_FILE } from "./hnsw-store-files";
import { PgKnowledgeBase } from "./pg-knowledge-base";
import { PgVectorStore } from "./pg-store";
import { StoreRetriever } from "./store-retriever";

export interface KnowledgeBaseOptions {
  /** HNSW `ef` at query time (raised to `k` when smaller). */
  efSearch?: number;
  /** Re-open the index when `npm run ingest` has rewritten it (one `stat` per search). */
  reloadOnChange?: boolean;
}

/**
 * The `Retriever` the agent uses: embeds the query locally, then searches the on-disk
 * HNSW index. `embedQuery` and `searchVector` are public so callers can trace the two
 * steps as separate spans (`embed_query`, `vector_search`).
 */
export class KnowledgeBase extends StoreRetriever<HnswStore> {
  readonly indexDir: string;
  private readonly efSearch: number | undefined;
  private readonly reloadOnChange: boolean;
  private storePromise: Promise<HnswStore> | undefined;
  private loadedMtimeMs = 0;

  constructor(embedder: Embedder, indexDir: string, options: KnowledgeBaseOptions = {}) {
    super(embedder);
    this.indexDir = path.resolve(indexDir);
    this.efSearch = options.efSearch;
    this.reloadOnChange = options.reloadOnChange ?? true;
  }

  /** Wraps an already open store (tests, benchmarks). */
  static fromStore(embedder: Embedder, store: HnswStore, options: KnowledgeBaseOptions = {}): KnowledgeBase {
    const kb = new KnowledgeBase(embedder, store.dir, { ...options, reloadOnChange: false });
    if (options.efSearch) store.setEfSearch(options.efSearch);
    kb.storePromise = Promise.resolve(store);
    return kb;
  }

  /** The loaded store; throws `index_missing` (run `npm run ingest`) when there is none. */
  store(): Promise<HnswStore> {
    if (this.storePromise && this.reloadOnChange && this.docstoreMtime() !== this.loadedMtimeMs) {
      this.storePromise = undefined;
    }
    if (!this.storePromise) {
      const mtime = this.docstoreMtime();
      const loading = HnswStore.load(this.indexDir, {
        expectedModel: this.embedder.modelName,
        expectedDimensions: this.embedder.dimensions,
        efSearch: this.efSearch,
      });
      this.storePromise = loading;
      this.loadedMtimeMs = mtime;
      loading.catch(() => {
        if (this.storePromise === loading) this.storePromise = undefined;
      });
    }
    return this.storePromise;
  }

  private docstoreMtime(): number {
    try {
      return fs.statSync(path.join(this.indexDir, DOCSTORE_FILE)).mtimeMs;
    } catch {
      return 0;
    }
  }
}

const registry = globalThis as typeof globalThis & { __ragKnowledgeBases?: Map<string, KnowledgeBase | PgKnowledgeBase> };

/**
 * The process-wide knowledge base for a config (model and index load once, lazily): in
 * PostgreSQL when DATABASE_URL is set (the scale-out profile), else the on-disk HNSW index.
 */
export function getKnowledgeBase(
  config: Pick<AppConfig, "models" | "embedBatchSize" | "indexDir" | "database">,
  options: KnowledgeBaseOptions = {},
): KnowledgeBase | PgKnowledgeBase {
  registry.__ragKnowledgeBases ??= new Map();
  const where = config.database ? `postgres:${config.database.url}` : path.resolve(config.indexDir);
  const key = `${where}|${path.resolve(config.models.dir)}|${options.efSearch ?? ""}`;
  let kb = registry.__ragKnowledgeBases.get(key);
  if (!kb) {
    kb = config.database
      ? new PgKnowledgeBase(getEmbedder(config), getPool(config.database), { efSearch: options.efSearch })
      : new KnowledgeBase(getEmbedder(config), config.indexDir, options);
    registry.__ragKnowledgeBases.set(key, kb);
  }
  return kb;
}

/**
 * Why the knowledge base cannot answer yet (for readiness), or undefined: a file check for the
 * on-disk index; with DATABASE_URL two small queries, so a replica whose database is down or
 * empty says so.
 */
export async function knowledgeBaseProblem(
  config: Pick<AppConfig, "models" | "embedBatchSize" | "indexDir" | "database">,
): Promise<string | undefined> {
  if (!config.database) return fs.existsSync(path.join(config.indexDir, DOCSTORE_FILE)) ? undefined : "index: run `npm run ingest`";
  const { embedder } = getKnowledgeBase(config);
  try {
    await PgVectorStore.open(getPool(config.database), { expectedModel: embedder.modelName, expectedDimensions: embedder.dimensions });
    return undefined;
  } catch (error) {
    if (error instanceof AppError && error.code === "index_missing")
      return "index: run `npm run ingest` (DATABASE_URL is set: it fills PostgreSQL)";
    return "database: the PostgreSQL at DATABASE_URL does not answer";
  }
}
