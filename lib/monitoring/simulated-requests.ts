import { OpenInferenceSpanKind, SemanticConventions as SC, SEMRESATTRS_PROJECT_NAME } from "@arizeai/openinference-semantic-conventions";
import { ROOT_CONTEXT, SpanStatusCode, trace, type Span, type Tracer } from "@opentelemetry/api";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { AppAttributes } from "../telemetry/attributes";
import { SqliteSpanExporter } from "../telemetry/trace-log/sqlite-span-exporter";
import type { TraceLog } from "../telemetry/trace-log/trace-log";

/**
 * Requests shaped like the app's (`chat` AGENT root with the app's metadata, LLM / RETRIEVER /
 * EMBEDDING / TOOL steps, the route span's confidence), written into a real trace log through a
 * real tracer and the log's exporter, at explicit times: monitoring tests state the numbers, and
 * `npm run alerts:simulate` writes simulated production traffic with it.
 */

export interface RequestSpec {
  atMs: number;
  latencyMs: number;
  route?: string;
  model?: string;
  appVersion?: string;
  promptVersion?: string;
  /** Marks the trace as an eval run's. */
  evalRunId?: string;
  userId?: string;
  failed?: boolean;
  output?: string;
  routeConfidence?: number;
  llm?: { ms: number; promptTokens?: number; completionTokens?: number; costUsd?: number }[];
  retrieval?: { embedMs: number; searchMs: number; scores: number[] };
  tools?: { name: string; ms: number; failed?: boolean }[];
  /** The answer guard's verdict, on a `postprocess` span as the agent records it. */
  guardVerdict?: "supported" | "repaired" | "abstained";
}

const kind = SC.OPENINFERENCE_SPAN_KIND;
const under = (parent: Span) => trace.setSpan(ROOT_CONTEXT, parent);

function child(
  tracer: Tracer,
  parent: Span,
  name: string,
  startMs: number,
  ms: number,
  attributes: Record<string, string | number>,
  failed = false,
) {
  const span = tracer.startSpan(name, { startTime: new Date(startMs), attributes }, under(parent));
  span.setStatus({ code: failed ? SpanStatusCode.ERROR : SpanStatusCode.OK });
  span.end(new Date(startMs + ms));
}

export function recordRequest(tracer: Tracer, spec: RequestSpec): string {
  const metadata = {
    model: spec.model ?? "test-model",
    app_version: spec.appVersion ?? "1.0.0",
    prompt_version: spec.promptVersion ?? "prompts-1",
    ...(spec.evalRunId && { eval_run_id: spec.evalRunId }),
  };
  const root = tracer.startSpan("chat", {
    // Dates, not numbers: OpenTelemetry reads a number before the process started as performance.now() time.
    startTime: new Date(spec.atMs),
    root: true,
    attributes: {
      [kind]: OpenInferenceSpanKind.AGENT,
      [SC.METADATA]: JSON.stringify(metadata),
      [SC.PROMPT_TEMPLATE_VERSION]: metadata.prompt_version,
      [AppAttributes.AGENT_ROUTE]: spec.route ?? "knowledge_base_search",
      [SC.OUTPUT_VALUE]: spec.output ?? "The R200 carries 50 kg.",
      ...(spec.userId && { [SC.USER_ID]: spec.userId }),
    },
  });
  let t = spec.atMs + 1;
  if (spec.routeConfidence !== undefined)
    child(tracer, root, "route", t, 1, { [kind]: "CHAIN", [AppAttributes.ROUTE_CONFIDENCE]: spec.routeConfidence });
  if (spec.retrieval) {
    const { embedMs, searchMs, scores } = spec.retrieval;
    child(tracer, root, "embed_query", t, embedMs, { [kind]: OpenInferenceSpanKind.EMBEDDING });
    const documents = Object.fromEntries(scores.map((score, i) => [`retrieval.documents.${i}.document.score`, score]));
    child(tracer, root, "vector_search", t + embedMs, searchMs, { [kind]: OpenInferenceSpanKind.RETRIEVER, ...documents });
    t += embedMs + searchMs;
  }
  for (const tool of spec.tools ?? []) {
    child(tracer, root, tool.name, t, tool.ms, { [kind]: OpenInferenceSpanKind.TOOL, [SC.TOOL_NAME]: tool.name }, tool.failed);
    t += tool.ms;
  }
  for (const llm of spec.llm ?? []) {
    child(tracer, root, "llm", t, llm.ms, {
      [kind]: OpenInferenceSpanKind.LLM,
      [SC.LLM_MODEL_NAME]: metadata.model,
      ...(llm.promptTokens !== undefined && { [SC.LLM_TOKEN_COUNT_PROMPT]: llm.promptTokens }),
      ...(llm.completionTokens !== undefined && { [SC.LLM_TOKEN_COUNT_COMPLETION]: llm.completionTokens }),
      ...(llm.costUsd !== undefined && { [SC.LLM_COST_TOTAL]: llm.costUsd }),
    });
    t += llm.ms;
  }
  if (spec.guardVerdict)
    child(tracer, root, "postprocess", t, 1, {
      [kind]: OpenInferenceSpanKind.CHAIN,
      [AppAttributes.ANSWER_GUARD_VERDICT]: spec.guardVerdict,
    });
  root.setStatus({ code: spec.failed ? SpanStatusCode.ERROR : SpanStatusCode.OK });
  root.end(new Date(spec.atMs + spec.latencyMs));
  return root.spanContext().traceId;
}

/** A tracer whose spans land in `log` through the log's exporter, as the server's would; flush with `provider.forceFlush()`. */
export function simulationTracerInto(log: TraceLog, projectName: string): { tracer: Tracer; provider: BasicTracerProvider } {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ [SEMRESATTRS_PROJECT_NAME]: projectName }),
    spanProcessors: [new SimpleSpanProcessor(new SqliteSpanExporter(log, { retentionDays: 0 }))],
  });
  return { tracer: provider.getTracer("alerts-simulation"), provider };
}
