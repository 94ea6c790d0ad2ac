import type { TracingPipeline } from "./tracing-pipeline";

/**
 * The process's tracing pipeline, once something started it. On globalThis because Next.js
 * compiles instrumentation.ts and each route into separate bundles: a module-level variable
 * would exist once per bundle.
 */
const registry = globalThis as typeof globalThis & { __ragTracing?: TracingPipeline };

export function setActiveTracing(pipeline: TracingPipeline): void {
  registry.__ragTracing = pipeline;
}

export function activeTracing(): TracingPipeline | undefined {
  return registry.__ragTracing;
}
