import { randomBytes, randomUUID } from "node:crypto";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { trace } from "@opentelemetry/api";
import { AppError, toAppError } from "@/lib/errors";
import type { Embedder } from "@/lib/embeddings/types";
import type { SessionStore } from "@/lib/sessions/session-store";
import type { Retriever, ScoredChunk } from "@/lib/vectorstore/types";
import type { AgentStep, ChatEvent, ChatRequest, ChatResult, Source } from "./contract";
import { selectEvidence } from "./evidence";
import { buildGroundedMessages } from "./prompts";
import { retrievalQueries, retrieveForTurn } from "./retrieve-context";

/**
 * The answering pipeline of the foundation: retrieve, assemble a grounded prompt,
 * stream. The agent graph replaces the middle of it; its shape (events out, result back)
 * is what the HTTP layer and the tests depend on.
 */
export interface ChatDeps {
  retriever: Retriever;
  /** Scores sentences of the retrieved chunks against the question (see evidence.ts). */
  embedder: Embedder;
  chatModel: BaseChatModel;
  sessions: SessionStore;
  retrievalK: number;
}

export interface RunOptions {
  emit?: (event: ChatEvent) => void;
  signal?: AbortSignal;
}

const SNIPPET_CHARS = 240;

export async function runChat(request: ChatRequest, deps: ChatDeps, options: RunOptions = {}): Promise<ChatResult> {
  const emit = options.emit ?? (() => undefined);
  const sessionId = request.sessionId ?? randomUUID();
  const traceId = currentTraceId();
  const steps: AgentStep[] = [];
  const step = (s: AgentStep) => {
    steps.push(s);
    emit({ type: "step", step: s });
  };
  emit({ type: "trace", traceId });

  const history = deps.sessions.history(sessionId);
  step({
    type: "route",
    route: "knowledge_base_search",
    reason: "Retrieval-augmented answer from the knowledge base",
    candidates: [{ route: "knowledge_base_search", score: 1 }],
  });

  const input = { query: request.message, k: deps.retrievalK };
  step({ type: "tool_start", tool: "knowledge_base_search", input });
  const started = performance.now();
  let chunks: ScoredChunk[];
  try {
    chunks = await retrieveForTurn(deps.retriever, request.message, history, deps.retrievalK);
  } catch (error) {
    const appError = toAppError(error, "embedding_failed");
    step({
      type: "tool_end",
      tool: "knowledge_base_search",
      output: "",
      ms: elapsed(started),
      error: { code: appError.code, message: appError.message },
    });
    throw appError;
  }
  step({
    type: "tool_end",
    tool: "knowledge_base_search",
    output: chunks.map((c) => `${c.id} (${c.score.toFixed(3)})`).join(", ") || "no matching chunks",
    ms: elapsed(started),
  });
  const sources = chunks.map(toSource);
  emit({ type: "sources", sources });

  const evidenceQuery = retrievalQueries(request.message, history).at(-1) ?? request.message;
  const evidence = await selectEvidence(deps.embedder, evidenceQuery, chunks);
  const messages = buildGroundedMessages(request.message, evidence, history);
  let answer = "";
  try {
    const stream = await deps.chatModel.stream(messages, { signal: options.signal });
    for await (const chunk of stream) {
      const text = typeof chunk.content === "string" ? chunk.content : "";
      if (!text) continue;
      answer += text;
      emit({ type: "token", text });
    }
  } catch (error) {
    if (options.signal?.aborted) throw new AppError("aborted", "The request was aborted", { cause: error });
    throw toAppError(error, "llm_failed");
  }
  answer = answer.trim();
  deps.sessions.append(sessionId, { user: request.message, assistant: answer });
  return { answer, sources, steps, traceId, sessionId };
}

function toSource(chunk: ScoredChunk): Source {
  const flat = chunk.text.replace(/^#+\s*/gm, "").replace(/\s+/g, " ").trim();
  return {
    id: chunk.id,
    docId: chunk.docId,
    title: chunk.title,
    snippet: flat.length > SNIPPET_CHARS ? `${flat.slice(0, SNIPPET_CHARS)}…` : flat,
    text: chunk.text,
    score: Number(chunk.score.toFixed(4)),
  };
}

/** The active OpenTelemetry trace id, or a fresh random one when tracing is off. */
function currentTraceId(): string {
  const context = trace.getActiveSpan()?.spanContext();
  if (context && trace.isSpanContextValid(context)) return context.traceId;
  return randomBytes(16).toString("hex");
}

function elapsed(start: number): number {
  return Math.round(performance.now() - start);
}
