import { context, trace, type Context, type Span } from "@opentelemetry/api";
import type { RunnableConfig } from "@langchain/core/runnables";

/** The name the OpenInference LangChain tracer registers its callback handler under. */
const OPENINFERENCE_HANDLER = "OpenInferenceLangChainTracer";

interface RunSpanRegistry {
  runs: Record<string, { span?: Span } | undefined>;
}

function isRunSpanRegistry(handler: object): handler is RunSpanRegistry {
  return "runs" in handler && typeof handler.runs === "object" && handler.runs !== null;
}

/**
 * The span the OpenInference LangChain instrumentation opened for the run that `config`
 * belongs to (a tool call, a graph node). The instrumentation creates spans from callbacks
 * and never makes them active, so a span the app opens inside a tool would otherwise hang
 * off the trace root instead of the tool. It keeps run id → span in its handler; this reads
 * it there. Undefined when tracing is off or the instrumentation changed its internals (the
 * trace-shape tests then fail, which is the point).
 *
 * Needs LangChain callbacks awaited (`LANGCHAIN_CALLBACKS_BACKGROUND=false`, which lib/config.ts
 * sets), so the run's span exists before the run's code executes.
 */
export function spanOfLangChainRun(config: RunnableConfig | undefined): Span | undefined {
  const callbacks = config?.callbacks;
  if (!callbacks || Array.isArray(callbacks)) return undefined;
  const runId = callbacks.getParentRunId();
  if (!runId) return undefined;
  for (const handler of callbacks.handlers) {
    if (handler.name !== OPENINFERENCE_HANDLER || !isRunSpanRegistry(handler)) continue;
    const span = handler.runs[runId]?.span;
    if (span) return span;
  }
  return undefined;
}

/** The active context with the LangChain run's span as the current span (or unchanged). */
export function contextOfLangChainRun(config: RunnableConfig | undefined): Context {
  const span = spanOfLangChainRun(config);
  return span ? trace.setSpan(context.active(), span) : context.active();
}
