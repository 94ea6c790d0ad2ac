import path from "node:path";
import type { LocalChatModelName } from "../config";

/**
 * Where each model lives under `models/`. The layout follows what the loaders expect:
 * transformers.js resolves `<localModelPath>/<modelId>/onnx/model_quantized.onnx`,
 * node-llama-cpp takes a GGUF file path.
 */
export const EMBEDDING_MODEL_ID = "all-MiniLM-L6-v2";
export const EMBEDDING_DIMENSIONS = 384;

export const CHAT_MODEL_FILES: Record<LocalChatModelName, string> = {
  "gemma-3-270m": "gemma-3-270m-q4_k_m.gguf",
  "smollm2-135m": "SmolLM2-135M-Instruct.Q4_1.gguf",
};

export function embeddingModelDir(modelsDir: string): string {
  return path.join(modelsDir, EMBEDDING_MODEL_ID);
}

export function chatModelPath(modelsDir: string, model: LocalChatModelName): string {
  return path.join(modelsDir, "gguf", CHAT_MODEL_FILES[model]);
}
