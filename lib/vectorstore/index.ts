export type { Chunk, Retriever, ScoredChunk, SearchOptions } from "./types";
export {
  DEFAULT_HNSW_PARAMS,
  DOCSTORE_FILE,
  ExactSearcher,
  HnswStore,
  type CreateStoreOptions,
  type DocumentRecord,
  type HnswParams,
  type LoadStoreOptions,
  type VectorSearcher,
} from "./hnsw-store";
export { KnowledgeBase, getKnowledgeBase, type KnowledgeBaseOptions } from "./knowledge-base";
