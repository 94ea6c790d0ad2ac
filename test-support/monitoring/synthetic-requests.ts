import { OpenInferenceSpanKind, SemanticConventions as SC } from "@arizeai/openinference-semantic-conventions";
import { ROOT_CONTEXT, SpanStatusCode, trace, type Tracer } from "@opentelemetry/api";
import { BasicTracerProvider, SimpleSpanProcessor, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { seededRandom } from "@/lib/math/seeded-random";
import { AppAttributes } from "@/lib/telemetry/attributes";
import type { TraceLog } from "@/lib/telemetry/trace-log/trace-log";

/**
 * Chat requests shaped like the app's (an AGENT root with route and version metadata, an LLM
 * step with tokens and cost, a retrieval step on the knowledge-base route), written through a
 * real tracer into a trace log: what monitoring's tests and `npm run compare`'s tests read.
 * `latencyFactor` and `tokenFactor` inject a regression into one version.
 */

export interface SyntheticTraffic {
  appVersion: string;
  promptVersion?: string;
  count: number;
  startMs: number;
  spacingMs: number;
  seed: number;
  latencyFactor?: number;
  tokenFactor?: number;
  /** Share of requests that fail (0–1). */
  errorRate?: number;
}

const ROUTES = ["knowledge_base", "knowledge_base", "sales_query", "calculator"] as const;
const kind = SC.OPENINFERENCE_SPAN_KIND;

function tracerWritingTo(log: TraceLog): { tracer: Tracer; provider: BasicTracerProvider } {
  const exporter: SpanExporter = {
    export(spans: ReadableSpan[], done) {
      log.writeSpans(spans);
      done({ code: 0 });
    },
    shutdown: () => Promise.resolve(),
  };
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { tracer: provider.getTracer("synthetic-requests"), provider };
}

/** Writes `traffic.count` requests and returns their trace ids, oldest first. */
export async function writeSyntheticRequests(log: TraceLog, traffic: SyntheticTraffic): Promise<string[]> {
  const { tracer, provider } = tracerWritingTo(log);
  const random = seededRandom(traffic.seed);
  const ids: string[] = [];
  for (let i = 0; i < traffic.count; i++) {
    const t0 = traffic.startMs + i * traffic.spacingMs;
    const route = ROUTES[i % ROUTES.length]!;
    const latency = (400 + 800 * random()) * (traffic.latencyFactor ?? 1);
    const prompt = Math.round((300 + 200 * random()) * (traffic.tokenFactor ?? 1));
    const completion = Math.round(40 + 40 * random());
    const failed = random() < (traffic.errorRate ?? 0);
    const metadata = {
      app_version: traffic.appVersion,
      prompt_version: traffic.promptVersion ?? "prompts-1",
      model: "test-model",
      provider: "openai",
    };
    const root = tracer.startSpan("chat", {
      startTime: t0,
      attributes: {
        [kind]: OpenInferenceSpanKind.AGENT,
        [AppAttributes.AGENT_ROUTE]: route,
        [SC.METADATA]: JSON.stringify(metadata),
        [SC.OUTPUT_VALUE]: "An answer.",
      },
    });
    const parent = trace.setSpan(ROOT_CONTEXT, root);
    if (route === "knowledge_base") {
      const retriever = tracer.startSpan(
        "vector_search",
        {
          startTime: t0 + 5,
          attributes: { [kind]: OpenInferenceSpanKind.RETRIEVER, "retrieval.documents.0.document.score": 0.6 + 0.3 * random() },
        },
        parent,
      );
      retriever.end(t0 + 25);
    }
    const llm = tracer.startSpan(
      "ChatOpenAI",
      {
        startTime: t0 + 30,
        attributes: {
          [kind]: OpenInferenceSpanKind.LLM,
          [SC.LLM_MODEL_NAME]: "test-model",
          [SC.LLM_TOKEN_COUNT_PROMPT]: prompt,
          [SC.LLM_TOKEN_COUNT_COMPLETION]: completion,
          [SC.LLM_COST_TOTAL]: prompt * 1e-6 + completion * 4e-6,
          [SC.METADATA]: JSON.stringify({ langgraph_node: "respond" }),
        },
      },
      parent,
    );
    llm.end(t0 + latency - 10);
    root.setStatus(failed ? { code: SpanStatusCode.ERROR, message: "synthetic failure" } : { code: SpanStatusCode.OK });
    root.end(t0 + latency);
    ids.push(root.spanContext().traceId);
  }
  await provider.forceFlush();
  await provider.shutdown();
  return ids;
}
