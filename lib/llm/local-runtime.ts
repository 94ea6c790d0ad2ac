import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import type { ChatWrapper, Llama, LlamaContext, LlamaContextSequence, LlamaGrammar, LlamaModel } from "node-llama-cpp";
import { AppError } from "../errors";
import type { JsonSchema } from "./structured-output";

/**
 * The process-wide node-llama-cpp runtime: one `Llama` binding, each GGUF model loaded once
 * (keyed by its path), one context per (path, context size, threads, sequences) whose
 * sequences are lent to one generation at a time. State lives on `globalThis`, so Next.js dev
 * reloads of this module do not load the model again.
 *
 * node-llama-cpp is imported lazily: processes that use the OpenAI or scripted provider never
 * load the native binding.
 */

export interface LocalRuntimeOptions {
  modelPath: string;
  /** Tokens per sequence. */
  contextSize: number;
  /** Threads per evaluation; 0 = auto (see `resolveThreads`). */
  threads: number;
  /** Parallel generations (context sequences); more wait in a queue. Default 1. */
  sequences?: number;
}

export interface LocalRuntime {
  readonly modelPath: string;
  readonly llama: Llama;
  readonly model: LlamaModel;
  readonly context: LlamaContext;
  readonly chatWrapper: ChatWrapper;
  /** Milliseconds spent loading the model file (0 when it was already loaded). */
  readonly modelLoadMs: number;
  /** Lends a sequence; waits while all are busy; rejects when `signal` aborts first. */
  acquireSequence(signal?: AbortSignal): Promise<LlamaContextSequence>;
  releaseSequence(sequence: LlamaContextSequence): void;
  /** A grammar for the schema, compiled once per schema. */
  grammarFor(schema: JsonSchema): Promise<LlamaGrammar>;
}

interface Registry {
  llama?: Promise<Llama>;
  models: Map<string, Promise<{ model: LlamaModel; loadMs: number }>>;
  runtimes: Map<string, Promise<LocalRuntime>>;
}

const REGISTRY_KEY = Symbol.for("rag-agent.llm.local-runtime");
type GlobalWithRegistry = typeof globalThis & { [REGISTRY_KEY]?: Registry };

function registry(): Registry {
  const g = globalThis as GlobalWithRegistry;
  g[REGISTRY_KEY] ??= { models: new Map(), runtimes: new Map() };
  return g[REGISTRY_KEY];
}

/** Throws `model_missing` when the GGUF file is absent. */
export function assertLocalModelPresent(modelPath: string): void {
  if (!existsSync(modelPath)) {
    throw new AppError("model_missing", `Local chat model not found at ${modelPath}; run \`npm run models\``);
  }
}

/**
 * The llama.cpp binding, CPU only, from the prebuilt binaries shipped with node-llama-cpp.
 * `build: "never"` + `skipDownload: true`: it never compiles and never goes to the network;
 * with no usable prebuilt binary it fails at once with `NoBinaryFoundError`.
 */
export function getLlamaBinding(): Promise<Llama> {
  const reg = registry();
  reg.llama ??= (async () => {
    const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
    return getLlama({
      gpu: false,
      build: "never",
      skipDownload: true,
      usePrebuiltBinaries: true,
      progressLogs: false,
      logLevel: LlamaLogLevel.error,
    });
  })().catch((error: unknown) => {
    reg.llama = undefined;
    throw new AppError("llm_failed", `Could not load the llama.cpp binding: ${errorMessage(error)}`, { cause: error });
  });
  return reg.llama;
}

async function loadModelOnce(modelPath: string): Promise<{ model: LlamaModel; loadMs: number }> {
  assertLocalModelPresent(modelPath);
  const reg = registry();
  let entry = reg.models.get(modelPath);
  if (!entry) {
    entry = (async () => {
      const llama = await getLlamaBinding();
      const started = performance.now();
      const model = await llama.loadModel({ modelPath, gpuLayers: 0 });
      return { model, loadMs: performance.now() - started };
    })();
    reg.models.set(modelPath, entry);
    entry.catch(() => reg.models.delete(modelPath));
  }
  try {
    return await entry;
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError("llm_failed", `Could not load the local chat model ${modelPath}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
}

/**
 * Threads for llama.cpp. 0 means auto: every core but one, at most 8. Not node-llama-cpp's own
 * default (at least 4, however few cores there are): llama.cpp threads spin-wait for each other,
 * so as soon as threads outnumber the free cores (a small VM, or the web server and the
 * embedder sharing the CPU) each token waits for the scheduler and generation slows from tens
 * of tokens per second to seconds per token.
 */
export function resolveThreads(threads: number, cores = availableParallelism()): number {
  if (threads > 0) return threads;
  return Math.max(1, Math.min(8, cores - 1));
}

/** The runtime for these options, created on first use and shared afterwards. */
export function getLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  // Fail fast (and without loading the native binding) when the file is missing.
  assertLocalModelPresent(options.modelPath);
  const sequences = Math.max(1, options.sequences ?? 1);
  const threads = resolveThreads(options.threads);
  const key = `${options.modelPath}|ctx=${options.contextSize}|threads=${threads}|seq=${sequences}`;
  const reg = registry();
  let runtime = reg.runtimes.get(key);
  if (!runtime) {
    runtime = createRuntime({ ...options, threads, sequences });
    reg.runtimes.set(key, runtime);
    runtime.catch(() => reg.runtimes.delete(key));
  }
  return runtime;
}

async function createRuntime(options: Required<LocalRuntimeOptions>): Promise<LocalRuntime> {
  const { model, loadMs } = await loadModelOnce(options.modelPath);
  const { resolveChatWrapper } = await import("node-llama-cpp");
  const llama = model.llama;
  let context: LlamaContext;
  try {
    context = await model.createContext({
      contextSize: options.contextSize,
      sequences: options.sequences,
      threads: options.threads,
    });
  } catch (error) {
    throw new AppError("llm_failed", `Could not create a context for ${options.modelPath}: ${errorMessage(error)}`, {
      cause: error,
    });
  }
  // Picks from the GGUF metadata: its Jinja chat template when there is one (SmolLM2 → ChatML),
  // otherwise by model name / architecture (Gemma 3 without a template → GemmaChatWrapper).
  const chatWrapper = resolveChatWrapper(model);

  const free: LlamaContextSequence[] = [];
  for (let i = 0; i < options.sequences; i++) free.push(context.getSequence());
  const waiters: Array<(sequence: LlamaContextSequence) => void> = [];
  const grammars = new Map<string, Promise<LlamaGrammar>>();

  return {
    modelPath: options.modelPath,
    llama,
    model,
    context,
    chatWrapper,
    modelLoadMs: loadMs,
    acquireSequence(signal) {
      if (signal?.aborted) return Promise.reject(abortError(signal));
      const sequence = free.pop();
      if (sequence) return Promise.resolve(sequence);
      return new Promise((resolve, reject) => {
        const onAbort = () => {
          const index = waiters.indexOf(grant);
          if (index >= 0) waiters.splice(index, 1);
          reject(abortError(signal));
        };
        const grant = (seq: LlamaContextSequence) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(seq);
        };
        waiters.push(grant);
        signal?.addEventListener("abort", onAbort, { once: true });
      });
    },
    releaseSequence(sequence) {
      const next = waiters.shift();
      if (next) next(sequence);
      else free.push(sequence);
    },
    grammarFor(schema) {
      const key = JSON.stringify(schema);
      let grammar = grammars.get(key);
      if (!grammar) {
        // The schema has been reduced to the grammar-compatible subset by toGrammarJsonSchema.
        grammar = llama.createGrammarForJsonSchema(schema as Parameters<Llama["createGrammarForJsonSchema"]>[0]);
        grammars.set(key, grammar);
        grammar.catch(() => grammars.delete(key));
      }
      return grammar;
    },
  };
}

/** Frees every loaded model and context (scripts and tests; the app keeps them for its lifetime). */
export async function disposeLocalRuntimes(): Promise<void> {
  const reg = registry();
  const runtimes = [...reg.runtimes.values()];
  const models = [...reg.models.values()];
  reg.runtimes.clear();
  reg.models.clear();
  for (const runtime of runtimes) {
    try {
      await (await runtime).context.dispose();
    } catch {
      // a runtime that failed to load has nothing to free
    }
  }
  for (const model of models) {
    try {
      await (await model).model.dispose();
    } catch {
      // as above
    }
  }
}

export function abortError(signal?: AbortSignal): AppError {
  return new AppError("aborted", "The request was aborted", { cause: signal?.reason });
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
