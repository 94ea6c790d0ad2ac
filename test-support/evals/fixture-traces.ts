import type { LoggedSpan, RootSpanQuery, TraceJudgement, TraceReader } from "@/lib/telemetry/trace-log/trace-reader";

/**
 * Fixture traces for the curation unit tests (not a test file itself): spans shaped like the
 * agent's (DESIGN.md: `chat` AGENT root, `route` CHAIN with agent.route.*, TOOL, RETRIEVER, LLM)
 * and an in-memory TraceReader over them.
 */

let counter = 0;
const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");

export interface FixtureTrace {
  spans: LoggedSpan[];
  judgements: TraceJudgement[];
}

export interface TraceOptions {
  question?: string;
  answer?: string;
  route?: string;
  confidence?: number;
  sessionId?: string;
  tags?: string[];
  startMs?: number;
  latencyMs?: number;
  tokens?: number;
  costUsd?: number;
  toolFailed?: string;
  llmFailed?: string;
  chunks?: { id: string; score: number; content?: string; title?: string }[];
  /** Document metadata as Phoenix returns it (parsed, flattened) instead of a JSON string. */
  flattenedMetadata?: boolean;
  feedback?: { score: 0 | 1; comment?: string; atMs?: number }[];
  online?: Record<string, { score: number; label: string; explanation?: string }>;
  rootName?: string;
}

export function fixtureTrace(o: TraceOptions = {}): FixtureTrace {
  counter++;
  const traceId = hex(counter, 32);
  const rootId = hex(counter * 16, 16);
  const start = o.startMs ?? Date.parse("2026-03-01T12:00:00Z") + counter * 1000;
  const end = start + (o.latencyMs ?? 1000);
  let spanN = 0;
  const span = (name: string, kind: string | null, attributes: Record<string, unknown>, extra: Partial<LoggedSpan> = {}): LoggedSpan => ({
    traceId,
    spanId: spanN === 0 ? rootId : hex(counter * 16 + spanN, 16),
    parentSpanId: spanN++ === 0 ? null : rootId,
    name,
    spanKind: kind,
    startTimeMs: start + spanN,
    endTimeMs: end - spanN,
    statusCode: "OK",
    statusMessage: null,
    attributes: kind ? { "openinference.span.kind": kind, ...attributes } : attributes,
    ...extra,
  });
  const route = o.route ?? "knowledge_base_search";
  const spans: LoggedSpan[] = [
    span(
      o.rootName ?? "chat",
      "AGENT",
      {
        "input.value": o.question ?? "How long do I have to return a product?",
        "output.value": o.answer ?? "You have 30 days.",
        "tag.tags": o.tags ?? ["model:smollm2-135m"],
        ...(o.sessionId ? { "session.id": o.sessionId } : {}),
        metadata: JSON.stringify({ model: "smollm2-135m" }),
      },
      o.sessionId ? { sessionId: o.sessionId } : {},
    ),
    span("route", "CHAIN", {
      "agent.route.chosen": route,
      "agent.route.confidence": o.confidence ?? 0.95,
      "agent.route.method": "router",
      "agent.route.candidates": JSON.stringify([{ route, score: 0.7 }]),
    }),
    span(
      route,
      "TOOL",
      { "input.value": JSON.stringify({ query: o.question ?? "q" }), ...(o.toolFailed ? {} : { "output.value": '{"chunks":[]}' }) },
      o.toolFailed ? { statusCode: "ERROR", statusMessage: o.toolFailed } : {},
    ),
  ];
  const retrieval: Record<string, unknown> = {};
  (o.chunks ?? [{ id: "returns-policy#0", score: 0.71, content: "Returns within 30 days.", title: "Returns policy" }]).forEach((c, i) => {
    const p = `retrieval.documents.${i}.document`;
    retrieval[`${p}.id`] = c.id;
    retrieval[`${p}.score`] = c.score;
    retrieval[`${p}.content`] = c.content ?? "";
    const metadata = { docId: c.id.split("#")[0], title: c.title ?? "A title" };
    if (o.flattenedMetadata) {
      retrieval[`${p}.metadata.docId`] = metadata.docId;
      retrieval[`${p}.metadata.title`] = metadata.title;
    } else retrieval[`${p}.metadata`] = JSON.stringify(metadata);
  });
  if (o.chunks?.length !== 0) spans.push(span("vector_search", "RETRIEVER", retrieval));
  spans.push(
    span(
      "LocalChatModel",
      "LLM",
      { "llm.token_count.total": o.tokens ?? 300, "llm.cost.total": o.costUsd ?? 0 },
      o.llmFailed ? { statusCode: "ERROR", statusMessage: o.llmFailed } : {},
    ),
  );
  spans[0] = { ...spans[0]!, startTimeMs: start, endTimeMs: end };
  const judgements: TraceJudgement[] = [];
  for (const [i, f] of (o.feedback ?? []).entries()) {
    judgements.push({
      spanId: rootId,
      name: "user_feedback",
      annotatorKind: "HUMAN",
      score: f.score,
      label: f.score ? "thumbs_up" : "thumbs_down",
      explanation: f.comment ?? null,
      updatedAtMs: f.atMs ?? end + 1000 + i,
    });
  }
  for (const [name, s] of Object.entries(o.online ?? {})) {
    judgements.push({
      spanId: rootId,
      name,
      annotatorKind: "CODE",
      score: s.score,
      label: s.label,
      explanation: s.explanation ?? null,
      updatedAtMs: end + 500,
    });
  }
  judgements.sort((a, b) => a.updatedAtMs - b.updatedAtMs);
  return { spans, judgements };
}

/** A TraceReader over fixture traces, with the log reader's semantics. */
export class FixtureReader implements TraceReader {
  constructor(readonly traces: FixtureTrace[]) {}

  rootSpans(query: RootSpanQuery): Promise<LoggedSpan[]> {
    const roots = this.traces
      .map((t) => t.spans[0]!)
      .filter(
        (r) => (query.since === undefined || r.startTimeMs >= query.since) && (query.until === undefined || r.startTimeMs < query.until),
      )
      .filter((r) => query.sessionId === undefined || r.sessionId === query.sessionId)
      .sort((a, b) => b.startTimeMs - a.startTimeMs)
      .slice(0, query.limit ?? 100);
    return Promise.resolve(roots);
  }

  trace(traceId: string): Promise<LoggedSpan[]> {
    return Promise.resolve(this.traces.find((t) => t.spans[0]!.traceId === traceId)?.spans ?? []);
  }

  judgements(traceId: string): Promise<TraceJudgement[]> {
    return Promise.resolve(this.traces.find((t) => t.spans[0]!.traceId === traceId)?.judgements ?? []);
  }
}
