import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { OpenInferenceSpanKind, SemanticConventions, SEMRESATTRS_PROJECT_NAME } from "@arizeai/openinference-semantic-conventions";
import { ROOT_CONTEXT, SpanStatusCode, trace, type Span, type Tracer } from "@opentelemetry/api";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { afterEach, beforeEach } from "vitest";
import { TraceLog } from "@/lib/telemetry/trace-log/trace-log";

/**
 * Shared fixtures for the trace log tests (not a test file itself): a temp folder per
 * test, and a real tracer provider whose spans go through a real span processor, so
 * the tests exercise what production hands the exporter rather than hand-built spans.
 */

export const TEST_PROJECT_NAME = "rag-agent-test";
const DAY_MS = 86_400_000;

export function makeTempDir(): { dir: string; remove: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "trace-log-test-"));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A trace log in a fresh temp folder; `remove` closes it and deletes the folder. */
export function openTempTraceLog(): { log: TraceLog; dir: string; remove: () => void } {
  const temp = makeTempDir();
  const log = new TraceLog(path.join(temp.dir, "traces.sqlite"));
  return {
    log,
    dir: temp.dir,
    remove: () => {
      log.close();
      temp.remove();
    },
  };
}

/** A fresh temp trace log for each test of the calling `describe`, closed and removed after it; read `.log` inside a test. */
export function useTempTraceLog(): { readonly log: TraceLog } {
  let temp: ReturnType<typeof openTempTraceLog> | undefined;
  beforeEach(() => {
    temp = openTempTraceLog();
  });
  afterEach(() => temp?.remove());
  return {
    get log(): TraceLog {
      if (!temp) throw new Error("useTempTraceLog: the log exists only inside a test");
      return temp.log;
    },
  };
}

export function tracerExportingTo(exporter: SpanExporter): { tracer: Tracer; provider: BasicTracerProvider } {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ [SEMRESATTRS_PROJECT_NAME]: TEST_PROJECT_NAME }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  return { tracer: provider.getTracer("trace-log-test"), provider };
}

function childOf(parent: Span) {
  return trace.setSpan(ROOT_CONTEXT, parent);
}

export interface RecordedAgentTrace {
  traceId: string;
  rootSpanId: string;
  chainSpanId: string;
  retrieverSpanId: string;
  llmSpanId: string;
  toolSpanId: string;
}

/**
 * One agent turn shaped like the app's: AGENT root → CHAIN → RETRIEVER, AGENT → LLM,
 * AGENT → TOOL (failing, with an exception event). Times are explicit and 10 ms apart
 * so ordering is deterministic; `daysAgo` moves the whole trace into the past.
 */
export function recordAgentTrace(
  tracer: Tracer,
  options: { sessionId?: string; daysAgo?: number; question?: string } = {},
): RecordedAgentTrace {
  const t0 = Date.now() - (options.daysAgo ?? 0) * DAY_MS;
  const at = (offsetMs: number) => t0 + offsetMs;
  const question = options.question ?? "What were Q3 drone sales in EMEA?";
  const kind = SemanticConventions.OPENINFERENCE_SPAN_KIND;

  const root = tracer.startSpan("agent", {
    startTime: at(0),
    attributes: {
      [kind]: OpenInferenceSpanKind.AGENT,
      [SemanticConventions.INPUT_VALUE]: question,
      ...(options.sessionId !== undefined && { [SemanticConventions.SESSION_ID]: options.sessionId }),
    },
  });
  const chain = tracer.startSpan(
    "retrieve-context",
    { startTime: at(10), attributes: { [kind]: OpenInferenceSpanKind.CHAIN } },
    childOf(root),
  );
  const retriever = tracer.startSpan(
    "hnsw-search",
    {
      startTime: at(20),
      attributes: {
        [kind]: OpenInferenceSpanKind.RETRIEVER,
        "retrieval.documents.0.document.id": "doc-7",
        "retrieval.documents.0.document.score": 0.82,
      },
    },
    childOf(chain),
  );
  retriever.end(at(30));
  chain.end(at(40));
  const llm = tracer.startSpan(
    "chat-model",
    {
      startTime: at(50),
      attributes: {
        [kind]: OpenInferenceSpanKind.LLM,
        [SemanticConventions.LLM_TOKEN_COUNT_TOTAL]: 321,
        [SemanticConventions.LLM_COST_TOTAL]: 0.0042,
        [SemanticConventions.OUTPUT_VALUE]: "EMEA drone revenue in Q3 was $1.2M.",
      },
    },
    childOf(root),
  );
  llm.end(at(80));
  const tool = tracer.startSpan("sales_query", { startTime: at(90), attributes: { [kind]: OpenInferenceSpanKind.TOOL } }, childOf(root));
  tool.recordException(new Error("no such column"), at(95));
  tool.setStatus({ code: SpanStatusCode.ERROR, message: "no such column" });
  tool.end(at(100));
  root.setAttribute(SemanticConventions.OUTPUT_VALUE, "EMEA drone revenue in Q3 was $1.2M.");
  root.setStatus({ code: SpanStatusCode.OK });
  root.end(at(110));

  return {
    traceId: root.spanContext().traceId,
    rootSpanId: root.spanContext().spanId,
    chainSpanId: chain.spanContext().spanId,
    retrieverSpanId: retriever.spanContext().spanId,
    llmSpanId: llm.spanContext().spanId,
    toolSpanId: tool.spanContext().spanId,
  };
}
