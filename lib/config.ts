import path from "node:path";
import type { TraceConfig } from "@arizeai/openinference-core";
import { z } from "zod";
import { AppError } from "./errors";
import { alertingConfig, type AlertingConfig } from "./alerting-config";
import { agentConfig, type AgentConfigSlice } from "./agent-config";
import { capacityConfig, type CapacityConfigSlice } from "./capacity-config";
import { databaseConfig, type DatabaseConfigSlice } from "./postgres/database-env";
import { telemetryBackendsConfig, type TelemetryBackendsConfigSlice } from "./telemetry/telemetry-backends-config";
import { traceConfigEnvSchema } from "./telemetry/trace-config-env";
import { intInRange, numberInRange, onOffSwitch, optionalString, withDefault } from "./validation/env-values";
import { parseEnv } from "./validation/parse-env";

/**
 * The one place that reads the environment. Everything else receives a typed
 * `AppConfig` (or a slice of it), so a misspelt variable fails loudly at start-up
 * instead of silently falling back somewhere deep in the code.
 *
 * Settings the app fixes for libraries that read the environment themselves, and the one
 * place in lib/ that writes it: once, when the process loads its configuration.
 * LANGCHAIN_CALLBACKS_BACKGROUND=false makes LangChain await callback handlers instead of
 * running them in the background (LangChain's documented switch; it reads it whenever it
 * creates a handler). Tracing needs that: the OpenInference handler must have opened a run's
 * span before the run's own code starts, since the app nests its spans under LangChain's
 * (lib/telemetry/langchain-run-span.ts); and LangChain recommends it wherever a process may end
 * right after a request.
 */
const LIBRARY_ENVIRONMENT = { LANGCHAIN_CALLBACKS_BACKGROUND: "false" } as const;
Object.assign(process.env, LIBRARY_ENVIRONMENT);

export const LLM_PROVIDERS = ["openai", "local", "scripted"] as const;
export type LlmProvider = (typeof LLM_PROVIDERS)[number];
/** The eval judge is a real model: the scripted stand-in cannot judge. */
const JUDGE_PROVIDERS = ["openai", "local"] as const satisfies readonly LlmProvider[];

export const STRUCTURED_OUTPUT_METHODS = ["json_schema", "function_calling"] as const;
export type StructuredOutputMethod = (typeof STRUCTURED_OUTPUT_METHODS)[number];

export const LOCAL_CHAT_MODELS = ["gemma-3-270m", "smollm2-135m"] as const;
export type LocalChatModelName = (typeof LOCAL_CHAT_MODELS)[number];

const envSchema = z.object({
  LLM_PROVIDER: withDefault(z.enum(LLM_PROVIDERS).optional()),
  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: withDefault(z.url().optional()),
  OPENAI_MODEL: withDefault(z.string().default("gpt-4o-mini")),
  /** Set by test runners (vitest sets "test"); the scripted model is refused anywhere else. */
  NODE_ENV: optionalString,
  /** How structured output is asked for: OpenAI's json_schema, or a forced tool call (servers without json_schema, e.g. llama-cpp-python's). */
  OPENAI_STRUCTURED_OUTPUT: withDefault(z.enum(STRUCTURED_OUTPUT_METHODS).default("json_schema")),
  OPENAI_TIMEOUT_MS: intInRange(1_000, 600_000, 60_000),
  OPENAI_MAX_RETRIES: intInRange(0, 10, 2),
  OPENAI_MAX_CONCURRENCY: intInRange(1, 256, 4),
  LOCAL_CHAT_MODEL: withDefault(z.enum(LOCAL_CHAT_MODELS).default("smollm2-135m")),
  LOCAL_MODEL_PATH: optionalString,
  LOCAL_CONTEXT_SIZE: intInRange(512, 32_768, 4096),
  LOCAL_THREADS: intInRange(0, 256, 0),
  LOCAL_SEQUENCES: intInRange(1, 64, 1),
  LLM_TEMPERATURE: numberInRange(0, 2, 0),
  LLM_MAX_TOKENS: intInRange(16, 8192, 384),
  LLM_SEED: intInRange(0, 2 ** 31 - 1, 42),

  MODELS_DIR: withDefault(z.string().default("models")),
  MODELS_MIRROR: optionalString,
  HF_ENDPOINT: withDefault(z.url().default("https://huggingface.co")),
  HF_TIMEOUT_MS: intInRange(100, 600_000, 5000),

  CORPUS_DIR: withDefault(z.string().default("data/corpus")),
  INDEX_DIR: withDefault(z.string().default(".data/index")),
  CHUNK_SIZE: intInRange(100, 8000, 800),
  CHUNK_OVERLAP: intInRange(0, 2000, 120),
  EMBED_BATCH_SIZE: intInRange(1, 512, 32),
  RETRIEVAL_K: intInRange(1, 50, 4),

  BENCH_DATA_DIR: withDefault(z.string().default("../shared/benchmarks")),

  TRACING: onOffSwitch("on"),
  PHOENIX_COLLECTOR_ENDPOINT: withDefault(z.url().default("http://localhost:6006")),
  /** Where people open Phoenix in a browser, when it differs from the collector endpoint (e.g. inside Docker). */
  PHOENIX_UI_URL: withDefault(z.url().optional()),
  PHOENIX_PROJECT_NAME: withDefault(z.string().min(1).max(200).default("rag-agent")),
  PHOENIX_API_KEY: optionalString,
  /** Set to "off" to keep traces in the local log only. */
  PHOENIX_EXPORT: onOffSwitch("on"),
  TRACE_LOG_PATH: withDefault(z.string().default(".data/traces.sqlite")),
  TRACE_LOG_RETENTION_DAYS: intInRange(0, 36_500, 30),
  TRACE_LOG_MAX_MB: intInRange(0, 1_048_576, 1024),
  PRICE_TABLE_PATH: withDefault(z.string().default("data/prices.json")),
  // The eval judge; unset means the app's own chat model judges.
  EVAL_JUDGE_PROVIDER: withDefault(z.enum(JUDGE_PROVIDERS).optional()),
  EVAL_JUDGE_MODEL: optionalString,
  EVAL_JUDGE_BASE_URL: withDefault(z.url().optional()),
  EVAL_JUDGE_API_KEY: optionalString,
  APP_VERSION: optionalString,
  GIT_SHA: optionalString,

  /** Signs the session ids the server issues; unset: a random one per process (fine for one replica). */
  SESSION_SECRET: withDefault(z.string().min(32, "must be at least 32 characters").optional()),
  /** Unlocks /review and its API; without it the review page is refused. */
  ADMIN_TOKEN: withDefault(z.string().min(16, "must be at least 16 characters").optional()),
  DATASETS_DIR: withDefault(z.string().default("evals/datasets")),
  REVIEW_QUEUE_PATH: withDefault(z.string().default(".data/review-queue.jsonl")),
  /** Share of production traces scored online after the response (0 = none, 1 = all). */
  ONLINE_EVAL_SAMPLE: numberInRange(0, 1, 0.25),

  /** How often the server evaluates the alert rules, in seconds; 0 turns the evaluator off. */
  ALERTS_INTERVAL_S: intInRange(0, 86_400, 60),
  ALERTS_RULES_PATH: withDefault(z.string().default("monitoring/alerts.yaml")),
});

export interface AppConfig
  extends AlertingConfig, DatabaseConfigSlice, AgentConfigSlice, CapacityConfigSlice, TelemetryBackendsConfigSlice {
  llm: {
    provider: LlmProvider;
    openai: {
      apiKey?: string;
      baseURL?: string;
      model: string;
      structuredOutput: StructuredOutputMethod;
      timeoutMs: number;
      maxRetries: number;
      /** Calls in flight at once; more wait in the client (a rate-limited upstream answers 429 otherwise). */
      maxConcurrency: number;
    };
    local: {
      model: LocalChatModelName;
      modelPath?: string;
      contextSize: number;
      /** 0 = auto: all cores but one, at most 8 (llama.cpp oversubscribes small machines otherwise). */
      threads: number;
      /** Context sequences decoded together in one batch; generations beyond them wait for one. */
      sequences: number;
    };
    temperature: number;
    maxTokens: number;
    seed: number;
  };
  models: { dir: string; mirror?: string; hfEndpoint: string; hfTimeoutMs: number };
  corpusDir: string;
  indexDir: string;
  chunking: { size: number; overlap: number };
  embedBatchSize: number;
  retrievalK: number;
  benchDataDir: string;
  /** The eval judge (EVAL_JUDGE_*); each field falls back to the app's chat model settings. */
  evalJudge: { provider?: (typeof JUDGE_PROVIDERS)[number]; model?: string; baseURL?: string; apiKey?: string };
  tracing: {
    enabled: boolean;
    phoenix: {
      /** Phoenix's base URL: OTLP goes to `<endpoint>/v1/traces`, links point into its UI. */
      endpoint: string;
      /** Base of "View trace" links; the endpoint unless PHOENIX_UI_URL says otherwise. */
      uiUrl: string;
      projectName: string;
      apiKey?: string;
      export: boolean;
    };
    /** Retention by age (days, 0: any) and size (bytes of pages, 0: no cap). */
    log: { path: string; retentionDays: number; maxBytes: number };
    /** OpenInference's trace config: what spans must not carry (OPENINFERENCE_*). */
    privacy: TraceConfig;
    priceTablePath: string;
    /** Resource/tag values; filled from package.json and git at build time when unset. */
    appVersion?: string;
    gitSha?: string;
  };
  curation: {
    /** Unset: the review page and its API are refused. */
    adminToken?: string;
    /** Where production.jsonl, synthetic.jsonl and production.traces.jsonl live. */
    datasetsDir: string;
    reviewQueuePath: string;
    onlineEvalSample: number;
  };
  /** The secret that signs session ids; absent: one drawn per process. */
  sessions: { secret?: string };
  /** The in-server alert evaluator: every `intervalMs` (0: off), rules from `rulesPath`. */
  alerts: { intervalMs: number; rulesPath: string };
}

type Env = z.infer<typeof envSchema>;

function llmConfig(e: Env, resolve: (p: string) => string): AppConfig["llm"] {
  // An API key or a base URL means the user wants a hosted / OpenAI-compatible model.
  const provider = e.LLM_PROVIDER ?? (e.OPENAI_API_KEY || e.OPENAI_BASE_URL ? "openai" : "local");
  // The scripted model echoes or replays a script: in a running app it would answer nonsense silently.
  if (provider === "scripted" && e.NODE_ENV !== "test") {
    throw new AppError("config_invalid", "LLM_PROVIDER=scripted is a test stand-in (it echoes); it runs only under NODE_ENV=test");
  }
  return {
    provider,
    openai: {
      apiKey: e.OPENAI_API_KEY,
      baseURL: e.OPENAI_BASE_URL,
      model: e.OPENAI_MODEL,
      structuredOutput: e.OPENAI_STRUCTURED_OUTPUT,
      timeoutMs: e.OPENAI_TIMEOUT_MS,
      maxRetries: e.OPENAI_MAX_RETRIES,
      maxConcurrency: e.OPENAI_MAX_CONCURRENCY,
    },
    local: {
      model: e.LOCAL_CHAT_MODEL,
      modelPath: e.LOCAL_MODEL_PATH ? resolve(e.LOCAL_MODEL_PATH) : undefined,
      contextSize: e.LOCAL_CONTEXT_SIZE,
      threads: e.LOCAL_THREADS,
      sequences: e.LOCAL_SEQUENCES,
    },
    temperature: e.LLM_TEMPERATURE,
    maxTokens: e.LLM_MAX_TOKENS,
    seed: e.LLM_SEED,
  };
}

/** Parses an environment (by default `process.env`) into a validated config. */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): AppConfig {
  const [e, privacy] = parseEnv(env, envSchema, traceConfigEnvSchema);
  if (e.CHUNK_OVERLAP >= e.CHUNK_SIZE) {
    throw new AppError("config_invalid", "CHUNK_OVERLAP must be smaller than CHUNK_SIZE");
  }
  const resolve = (p: string) => path.resolve(cwd, p);
  // Phoenix's convention: the collector endpoint is its base URL; accept the full OTLP path too.
  const phoenixEndpoint = e.PHOENIX_COLLECTOR_ENDPOINT.replace(/\/+$/, "").replace(/\/v1\/traces$/, "");
  return {
    llm: llmConfig(e, resolve),
    models: {
      dir: resolve(e.MODELS_DIR),
      mirror: e.MODELS_MIRROR ? resolve(e.MODELS_MIRROR) : undefined,
      hfEndpoint: e.HF_ENDPOINT.replace(/\/+$/, ""),
      hfTimeoutMs: e.HF_TIMEOUT_MS,
    },
    corpusDir: resolve(e.CORPUS_DIR),
    indexDir: resolve(e.INDEX_DIR),
    chunking: { size: e.CHUNK_SIZE, overlap: e.CHUNK_OVERLAP },
    embedBatchSize: e.EMBED_BATCH_SIZE,
    retrievalK: e.RETRIEVAL_K,
    benchDataDir: resolve(e.BENCH_DATA_DIR),
    evalJudge: {
      ...(e.EVAL_JUDGE_PROVIDER ? { provider: e.EVAL_JUDGE_PROVIDER } : {}),
      ...(e.EVAL_JUDGE_MODEL ? { model: e.EVAL_JUDGE_MODEL } : {}),
      ...(e.EVAL_JUDGE_BASE_URL ? { baseURL: e.EVAL_JUDGE_BASE_URL } : {}),
      ...(e.EVAL_JUDGE_API_KEY ? { apiKey: e.EVAL_JUDGE_API_KEY } : {}),
    },
    tracing: {
      enabled: e.TRACING,
      phoenix: {
        endpoint: phoenixEndpoint,
        uiUrl: (e.PHOENIX_UI_URL ?? phoenixEndpoint).replace(/\/+$/, ""),
        projectName: e.PHOENIX_PROJECT_NAME,
        apiKey: e.PHOENIX_API_KEY,
        export: e.PHOENIX_EXPORT,
      },
      log: { path: resolve(e.TRACE_LOG_PATH), retentionDays: e.TRACE_LOG_RETENTION_DAYS, maxBytes: e.TRACE_LOG_MAX_MB * 1024 * 1024 },
      privacy,
      priceTablePath: resolve(e.PRICE_TABLE_PATH),
      appVersion: e.APP_VERSION,
      gitSha: e.GIT_SHA,
    },
    curation: {
      ...(e.ADMIN_TOKEN ? { adminToken: e.ADMIN_TOKEN } : {}),
      datasetsDir: resolve(e.DATASETS_DIR),
      reviewQueuePath: resolve(e.REVIEW_QUEUE_PATH),
      onlineEvalSample: e.ONLINE_EVAL_SAMPLE,
    },
    sessions: e.SESSION_SECRET ? { secret: e.SESSION_SECRET } : {},
    alerts: { intervalMs: e.ALERTS_INTERVAL_S * 1000, rulesPath: resolve(e.ALERTS_RULES_PATH) },
    ...alertingConfig(env),
    ...databaseConfig(env),
    ...telemetryBackendsConfig(env),
    ...agentConfig(env),
    ...capacityConfig(env),
  };
}

let cached: AppConfig | undefined;

/** The process-wide config, parsed once on first use. */
export function getConfig(): AppConfig {
  cached ??= loadConfig();
  return cached;
}
