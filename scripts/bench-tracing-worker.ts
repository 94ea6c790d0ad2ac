/**
 * One side of `npm run bench:tracing`, `bench:metrics` and `bench:guards`: a process with
 * tracing on or off (TRACING), metrics on or off (METRICS) or answer guards on or off
 * (ANSWER_GUARDS), the app's real agent and knowledge base, answering timing requests from
 * the parent over IPC.
 */
import { context, trace } from "@opentelemetry/api";
import { getChatDeps } from "../agents/runtime";
import type { ChatEvent } from "../agents/contract";
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
  /** Chats: ms to the first answer token the user would see (with guards on, after the check). */
  firstTokenMs?: number;
  /** Chats: the route taken and the answer check's verdict (none when unchecked). */
  route?: string;
  verdict?: string;
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

type ChatFacts = Pick<WorkerReply, "firstTokenMs" | "route" | "verdict">;

/** A chat turn, with when its first answer token was emitted and what the route and the answer check said. */
async function timedChat(message: string, deps: Awaited<typeof depsReady>, started: number): Promise<ChatFacts> {
  let firstTokenMs: number | undefined;
  const emit = (event: ChatEvent) => {
    if (event.type === "token" && firstTokenMs === undefined) firstTokenMs = performance.now() - started;
  };
  const { steps } = await runAgentChat({ message }, deps, { emit });
  const route = steps.find((s) => s.type === "route");
  const check = steps.find((s) => s.type === "answer_check");
  return {
    ...(firstTokenMs !== undefined && { firstTokenMs }),
    ...(route?.type === "route" && { route: route.route }),
    ...(check?.type === "answer_check" && { verdict: check.verdict }),
  };
}

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  const deps = await depsReady;
  const before = await spanCount();
  const started = performance.now();
  let chat: ChatFacts = {};
  if (request.kind === "chat") {
    chat = await timedChat(request.message, deps, started);
  } else if (request.kind === "retrieve") {
    await retriever.search(request.query, { k: config.retrievalK });
  } else {
    // The cost of one span through the whole pipeline: start, attributes, end, transform,
    // queue for Phoenix, and the SQLite trace log's insert (PostgreSQL's is queued: batched later).
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
  return { id: request.id, ms, spans: (await spanCount()) - before, ...chat };
}

process.on("message", (request: WorkerRequest) => {
  handle(request).then(
    (reply) => process.send?.(reply),
    (error: unknown) => process.send?.({ id: request.id, ms: 0, error: error instanceof Error ? error.message : String(error) }),
  );
});
process.send?.({ id: 0, ms: 0 });
