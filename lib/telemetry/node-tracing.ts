import { resourceFromAttributes } from "@opentelemetry/resources";
import { AlwaysOnSampler, NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import type { AppConfig } from "../config";
import { instrumentLangChain } from "./langchain-instrumentation";
import { SPAN_LIMITS } from "./span-limits";
import { createTracingPipeline, type TracingPipeline } from "./tracing-pipeline";
import { activeTracing, setActiveTracing } from "./tracing-registry";

/**
 * Tracing for processes outside Next.js (the eval runner, benchmarks, integration tests):
 * the same pipeline as the app, registered on a plain Node tracer provider. Idempotent.
 * Returns undefined when tracing is off (`TRACING=off`).
 */
export function startNodeTracing(config: AppConfig): TracingPipeline | undefined {
  if (!config.tracing.enabled) return undefined;
  const existing = activeTracing();
  if (existing) return existing;
  const pipeline = createTracingPipeline(config);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes(pipeline.resourceAttributes),
    spanProcessors: pipeline.processors,
    spanLimits: SPAN_LIMITS,
    // As in instrumentation.ts: the trace log sees every trace, so OTEL_TRACES_SAMPLER is not read.
    sampler: new AlwaysOnSampler(),
  });
  provider.register();
  instrumentLangChain(pipeline.traceConfig);
  setActiveTracing({
    ...pipeline,
    shutdown: async () => {
      await provider.shutdown();
      await pipeline.traceLog.close();
    },
  });
  return activeTracing();
}
