export type { Embedder } from "./types";
export {
  EMBEDDING_MAX_TOKENS,
  EMBEDDING_MODEL_NAME,
  TransformersEmbedder,
  getEmbedder,
  type TransformersEmbedderOptions,
} from "./transformers-embedder";
