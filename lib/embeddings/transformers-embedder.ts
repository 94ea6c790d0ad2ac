import fs from "node:fs";
import path from "node:path";
import {
  AutoModel,
  AutoTokenizer,
  env,
  mean_pooling,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type Tensor,
} from "@huggingface/transformers";
import type { AppConfig } from "../config";
import { AppError } from "../errors";
import { EMBEDDING_DIMENSIONS, EMBEDDING_MODEL_ID, embeddingModelDir } from "../models/paths";
import type { Embedder } from "./types";

/** The name recorded on `embedding.model_name` spans. */
export const EMBEDDING_MODEL_NAME = `sentence-transformers/${EMBEDDING_MODEL_ID}`;

/**
 * sentence-transformers runs all-MiniLM-L6-v2 with `max_seq_length = 256` word pieces,
 * while its tokenizer config says `model_max_length = 512`. MTEB's published scores use
 * 256, so we truncate there explicitly (transformers.js would otherwise use 512).
 */
export const EMBEDDING_MAX_TOKENS = 256;

/** Files that must be present for an offline load. */
const REQUIRED_FILES = ["config.json", "tokenizer.json", "tokenizer_config.json", path.join("onnx", "model_quantized.onnx")];

export interface TransformersEmbedderOptions {
  /** Directory holding `all-MiniLM-L6-v2/` (config `models.dir`). */
  modelsDir: string;
  /** Texts per forward pass in `embedDocuments`. */
  batchSize?: number;
  /** Truncation length in word pieces (default 256, as sentence-transformers). */
  maxTokens?: number;
  /** onnxruntime intra-op threads; undefined lets onnxruntime decide. */
  threads?: number;
}

interface LoadedModel {
  tokenizer: PreTrainedTokenizer;
  model: PreTrainedModel;
}

/**
 * all-MiniLM-L6-v2 (int8 ONNX, `model_quantized.onnx`) run through transformers.js:
 * tokenize (truncate at 256) → BERT → mean pooling over the attention mask → L2 norm.
 * Same maths as the `feature-extraction` pipeline with `{pooling: "mean", normalize: true}`,
 * but with the truncation length under our control.
 *
 * The model loads lazily on first use and only once per instance; use `getEmbedder()`
 * for the process-wide instance.
 */
export class TransformersEmbedder implements Embedder {
  readonly modelName = EMBEDDING_MODEL_NAME;
  readonly dimensions = EMBEDDING_DIMENSIONS;
  readonly modelsDir: string;
  readonly batchSize: number;
  readonly maxTokens: number;
  private readonly threads: number | undefined;
  private loading: Promise<LoadedModel> | undefined;

  constructor(options: TransformersEmbedderOptions) {
    this.modelsDir = path.resolve(options.modelsDir);
    this.batchSize = Math.max(1, options.batchSize ?? 32);
    this.maxTokens = options.maxTokens ?? EMBEDDING_MAX_TOKENS;
    this.threads = options.threads;
  }

  /** Throws `model_missing` when the model files are not on disk. */
  assertModelPresent(): void {
    const dir = embeddingModelDir(this.modelsDir);
    // Model files live at a configured path at run time, not in the build: keep the bundler's
    // file tracing out of it.
    const missing = REQUIRED_FILES.filter((file) => !fs.existsSync(path.join(/*turbopackIgnore: true*/ dir, file)));
    if (missing.length > 0) {
      throw new AppError(
        "model_missing",
        `Embedding model ${EMBEDDING_MODEL_ID} is missing from ${dir} (${missing.join(", ")} not found): run \`npm run models\``,
      );
    }
  }

  /** Loads tokenizer and model (once); later calls return the same promise. */
  load(): Promise<LoadedModel> {
    if (!this.loading) {
      this.loading = this.doLoad();
      // A failed load may be retried later (e.g. after `npm run models`).
      this.loading.catch(() => {
        this.loading = undefined;
      });
    }
    return this.loading;
  }

  private async doLoad(): Promise<LoadedModel> {
    this.assertModelPresent();
    // Offline only: never reach for the Hugging Face hub.
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = this.modelsDir.endsWith(path.sep) ? this.modelsDir : this.modelsDir + path.sep;
    try {
      const tokenizer = await AutoTokenizer.from_pretrained(EMBEDDING_MODEL_ID, { local_files_only: true });
      const model = await AutoModel.from_pretrained(EMBEDDING_MODEL_ID, {
        dtype: "q8",
        device: "cpu",
        local_files_only: true,
        ...(this.threads ? { session_options: { intraOpNumThreads: this.threads, interOpNumThreads: 1 } } : {}),
      });
      return { tokenizer, model };
    } catch (error) {
      throw new AppError(
        "model_missing",
        `Could not load embedding model ${EMBEDDING_MODEL_ID} from ${embeddingModelDir(this.modelsDir)}: ${
          error instanceof Error ? error.message : String(error)
        }. Run \`npm run models\``,
        { cause: error },
      );
    }
  }

  async embedQuery(text: string): Promise<Float32Array> {
    const [vector] = await this.embedBatch([text]);
    if (!vector) throw new AppError("embedding_failed", "The embedding model returned no vector");
    return vector;
  }

  async embedDocuments(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    // Sort by length so each batch pads little; results go back in input order.
    const order = texts.map((_, i) => i).sort((a, b) => (texts[a] ?? "").length - (texts[b] ?? "").length);
    const out = new Array<Float32Array>(texts.length);
    for (let start = 0; start < order.length; start += this.batchSize) {
      const ids = order.slice(start, start + this.batchSize);
      const vectors = await this.embedBatch(ids.map((i) => texts[i] ?? ""));
      ids.forEach((id, j) => {
        const v = vectors[j];
        if (!v) throw new AppError("embedding_failed", "The embedding model returned too few vectors");
        out[id] = v;
      });
    }
    return out;
  }

  private async embedBatch(texts: string[]): Promise<Float32Array[]> {
    const { tokenizer, model } = await this.load();
    try {
      const inputs = tokenizer(texts, { padding: true, truncation: true, max_length: this.maxTokens });
      const outputs = (await model(inputs)) as Record<string, Tensor | undefined>;
      const hidden = outputs.last_hidden_state ?? outputs.token_embeddings;
      if (!hidden) {
        throw new Error(`model outputs ${Object.keys(outputs).join(", ")}, expected last_hidden_state`);
      }
      const pooled = mean_pooling(hidden, inputs.attention_mask).normalize(2, -1);
      const [rows, dims] = pooled.dims as [number, number];
      if (dims !== this.dimensions) throw new Error(`expected ${this.dimensions} dimensions, got ${dims}`);
      const data = pooled.data as Float32Array;
      const result: Float32Array[] = [];
      for (let r = 0; r < rows; r++) result.push(data.slice(r * dims, (r + 1) * dims));
      return result;
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError("embedding_failed", `Embedding failed: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
  }
}

// Kept on globalThis so Next.js dev-mode module reloads do not load the model again.
const registry = globalThis as typeof globalThis & { __ragEmbedders?: Map<string, TransformersEmbedder> };

/**
 * The process-wide embedder for a config: created on first call, model loaded on first
 * embed, then reused by every request.
 */
export function getEmbedder(config: Pick<AppConfig, "models" | "embedBatchSize">): TransformersEmbedder {
  registry.__ragEmbedders ??= new Map();
  const key = `${path.resolve(config.models.dir)}|${config.embedBatchSize}`;
  let embedder = registry.__ragEmbedders.get(key);
  if (!embedder) {
    embedder = new TransformersEmbedder({ modelsDir: config.models.dir, batchSize: config.embedBatchSize });
    registry.__ragEmbedders.set(key, embedder);
  }
  return embedder;
}
