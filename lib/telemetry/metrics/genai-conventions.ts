/**
 * The OpenTelemetry GenAI semantic conventions the app's metrics follow, as of semconv v1.41.
 * They are still marked experimental (names have moved before: `gen_ai.system` became
 * `gen_ai.provider.name` in v1.37), so every name lives here and nowhere else: a rename is a
 * change to this file. `@opentelemetry/semantic-conventions` ships them only in its
 * `incubating` entry point, which is not meant for stable imports, hence the literals.
 * https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-metrics/
 */
export const GenAiMetrics = {
  /** Histogram, `{token}`: input and output tokens per operation, told apart by `gen_ai.token.type`. */
  TOKEN_USAGE: "gen_ai.client.token.usage",
  /** Histogram, `s`: the duration of one operation (one model call). */
  OPERATION_DURATION: "gen_ai.client.operation.duration",
} as const;

export const GenAiAttributes = {
  OPERATION_NAME: "gen_ai.operation.name",
  PROVIDER_NAME: "gen_ai.provider.name",
  REQUEST_MODEL: "gen_ai.request.model",
  TOKEN_TYPE: "gen_ai.token.type",
  /** Stable (not GenAI-specific): set only when the operation failed. */
  ERROR_TYPE: "error.type",
} as const;

/** `gen_ai.token.type` values. */
export const GenAiTokenTypes = { INPUT: "input", OUTPUT: "output" } as const;

/** `gen_ai.operation.name` of a chat-model call (every LLM span the app makes is one). */
export const GENAI_CHAT_OPERATION = "chat";

/** What the conventions say to record when a value is outside the known set (`error.type`'s fallback). */
export const OTHER_VALUE = "_OTHER";

/** The conventions' advised bucket boundaries (`ExplicitBucketBoundaries` advice). */
export const TOKEN_USAGE_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
export const OPERATION_DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

/**
 * `gen_ai.provider.name` for an OpenInference `llm.provider`: the conventions' well-known value
 * where there is one, the app's own provider names (lib/llm/provider.ts) as they are.
 */
const PROVIDER_NAMES: Readonly<Record<string, string>> = {
  openai: "openai",
  azure: "azure.ai.openai",
  anthropic: "anthropic",
  google: "gcp.gen_ai",
  aws: "aws.bedrock",
  mistralai: "mistral_ai",
  cohere: "cohere",
  deepseek: "deepseek",
  xai: "x_ai",
  groq: "groq",
  "llama.cpp": "llama.cpp",
  scripted: "scripted",
};

/** A closed set: an unknown provider is `_OTHER`, never a free-form label. */
export function genAiProviderName(openInferenceProvider: unknown): string {
  if (typeof openInferenceProvider !== "string") return OTHER_VALUE;
  return PROVIDER_NAMES[openInferenceProvider.toLowerCase()] ?? OTHER_VALUE;
}
