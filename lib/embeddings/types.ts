/**
 * Turns text into vectors. The app uses one implementation (`TransformersEmbedder`,
 * a local ONNX model); tests may use a fake. Vectors are L2-normalised, so a dot
 * product is a cosine similarity.
 */
export interface Embedder {
  /** Model identifier for tracing (`embedding.model_name`). */
  readonly modelName: string;
  readonly dimensions: number;
  /** Embeds many texts, batched internally; output order matches input order. */
  embedDocuments(texts: string[]): Promise<Float32Array[]>;
  embedQuery(text: string): Promise<Float32Array>;
}
