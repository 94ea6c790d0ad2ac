import type { TraceConfig } from "@arizeai/openinference-core";
import { z } from "zod";
import { envFlag, intInRange } from "../validation/env-values";

/**
 * OpenInference's trace config (what spans must not carry), one row per flag: its variable
 * (OpenInference's own name) and the app's default, which is OpenInference's except for
 * embedding vectors: 384 floats per query are noise in a trace, and Phoenix does not need
 * them. `satisfies` turns a flag a new OpenInference adds into a compile error until it has
 * a row here, so the instrumentation never reads the environment itself.
 */
const TRACE_CONFIG_FLAGS = {
  hideInputs: { env: "OPENINFERENCE_HIDE_INPUTS", default: false },
  hideOutputs: { env: "OPENINFERENCE_HIDE_OUTPUTS", default: false },
  hideInputMessages: { env: "OPENINFERENCE_HIDE_INPUT_MESSAGES", default: false },
  hideOutputMessages: { env: "OPENINFERENCE_HIDE_OUTPUT_MESSAGES", default: false },
  hideInputImages: { env: "OPENINFERENCE_HIDE_INPUT_IMAGES", default: false },
  hideInputText: { env: "OPENINFERENCE_HIDE_INPUT_TEXT", default: false },
  hideOutputText: { env: "OPENINFERENCE_HIDE_OUTPUT_TEXT", default: false },
  hideEmbeddingVectors: { env: "OPENINFERENCE_HIDE_EMBEDDING_VECTORS", default: true },
  hideLLMTools: { env: "OPENINFERENCE_HIDE_LLM_TOOLS", default: false },
  hidePrompts: { env: "OPENINFERENCE_HIDE_PROMPTS", default: false },
  base64ImageMaxLength: { env: "OPENINFERENCE_BASE64_IMAGE_MAX_LENGTH", default: 32_000 },
} as const satisfies { [Key in keyof TraceConfig]: { env: string; default: TraceConfig[Key] } };

/** The trace config's variables, validated like the rest of the environment. */
export const traceConfigEnvSchema = z
  .object(
    Object.fromEntries(
      Object.values(TRACE_CONFIG_FLAGS).map((flag) => [
        flag.env,
        typeof flag.default === "number" ? intInRange(0, Number.MAX_SAFE_INTEGER, flag.default) : envFlag(flag.default),
      ]),
    ),
  )
  .transform(
    // Each value was validated by its flag's own schema above, so the record has TraceConfig's shape.
    (values) => Object.fromEntries(Object.entries(TRACE_CONFIG_FLAGS).map(([key, flag]) => [key, values[flag.env]])) as TraceConfig,
  );
