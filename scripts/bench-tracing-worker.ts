/**
 * One side of `npm run bench:tracing` and `bench:metrics`: a process with tracing on or off
 * (TRACING) or metrics on or off (METRICS), the app's real agent and knowledge base,
 * answering timing requests from the parent over IPC.
 */
import { context, trace } from "@opentelemetry/api";
import { getChatDeps } from "../agents/runtime";
import { runAgentChat } from "../agents/graph/run-agent-chat";
import { getConfig } from "../lib/config";
import { startNodeTracing } from "../lib/telemetry/node-tracing";
import { TracedRetriever } from "../lib/telemetry/traced-retriever";
import { getKnowledgeBase } from "../lib/vectorstore/knowledge-base";

export type WorkerTask = { kind: "chat"; message: string } | { kind: "retrieve"; query: string } | { kind: "spans"; count: number };
export type WorkerRequest = WorkerTask & { id: number };
export interface WorkerReply {
  id: number;
  ms: number;
  spans?: number;
  error?: string;
}

const config = getConfig();
const pipeline = startNodeTracing(config);
const knowledgeBase = getKnowledgeBase(config);
const retriever = new TracedRetriever(knowledgeBase);
const depsReady = getChatDeps().then(async (deps) => {
  await knowledgeBase.store();
  return deps;
});

/** Spans recorded so far, read from the log after a flush (0 when tracing is off). */
async function spanCount(): Promise<number> {
  if (!pipeline) return 0;
  await pipeline.flush();
  return (await pipeline.traceLog.counts()).spans;
}

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  const deps = await depsReady;
  const before = await spanCount();
  const started = performance.now();
  if (request.kind === "chat") {
    await runAgentChat({ message: request.message }, deps);
  } else if (request.kind === "retrieve") {
    await retriever.search(request.query, { k: config.retrievalK });
  } else {
    // The cost of one span through the whole pipeline: start, attributes, end, transform,
    // queue for Phoenix and for the log (the batch exports run later, off this path).
    const tracer = trace.getTracer("bench");
    for (let i = 0; i < request.count; i++) {
      const span = tracer.startSpan(
        "bench",
        { attributes: { "openinference.span.kind": "CHAIN", "input.value": "x".repeat(200), i } },
        context.active(),
      );
      span.end();
    }
  }
  const ms = performance.now() - started;
  return { id: request.id, ms, spans: (await spanCount()) - before };
}

process.on("message", (request: WorkerRequest) => {
  handle(request).then(
    (reply) => process.send?.(reply),
    (error: unknown) => process.send?.({ id: request.id, ms: 0, error: error instanceof Error ? error.message : String(error) }),
  );
});
process.send?.({ id: 0, ms: 0 });
