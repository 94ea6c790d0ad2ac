import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { context, trace, SpanStatusCode } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordFeedback } from "./feedback";
import { PhoenixClient } from "./phoenix-client";
import type { RunningPhoenix } from "./phoenix-server";
import { PhoenixTraceReader } from "./phoenix-trace-reader";
import { startThrowawayPhoenix, untilPhoenixHas } from "@/test-support/phoenix/throwaway-phoenix";
import { SqliteSpanExporter } from "./trace-log/sqlite-span-exporter";
import { openTempTraceLog } from "@/test-support/trace-log/recorded-traces";
import { objectAttribute, TraceLogReader, type LoggedSpan, type TraceJudgement } from "./trace-log/trace-reader";

// The same spans exported to a real Phoenix (OTLP) and to a trace log, then read back through
// both TraceReaders: curation must not be able to tell which store it reads.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const project = `trace-reader-it-${randomBytes(3).toString("hex")}`;

let phoenix: RunningPhoenix | undefined;
let client: PhoenixClient;
const temp = openTempTraceLog();
const logReader = new TraceLogReader(temp.log);
let phoenixReader: PhoenixTraceReader;

interface Turn {
  traceId: string;
  rootSpanId: string;
  toolSpanId: string;
}

/** One agent-shaped turn: chat (AGENT) → route (CHAIN), tool (TOOL, failing on cue) → vector_search (RETRIEVER), LLM. */
function recordTurn(provider: BasicTracerProvider, question: string, sessionId: string, toolFails = false): Turn {
  const tracer = provider.getTracer("trace-reader-it");
  const chat = tracer.startSpan("chat", {
    attributes: {
      "openinference.span.kind": "AGENT",
      "input.value": question,
      "session.id": sessionId,
      "tag.tags": ["model:test", "app:1"],
      metadata: JSON.stringify({ model: "test", provider: "scripted" }),
    },
  });
  const inChat = trace.setSpan(context.active(), chat);
  const route = tracer.startSpan(
    "route",
    { attributes: { "openinference.span.kind": "CHAIN", "agent.route.chosen": "knowledge_base_search", "agent.route.confidence": 0.83 } },
    inChat,
  );
  route.end();
  const tool = tracer.startSpan(
    "knowledge_base_search",
    { attributes: { "openinference.span.kind": "TOOL", "input.value": JSON.stringify({ query: question }) } },
    inChat,
  );
  const retriever = tracer.startSpan(
    "vector_search",
    {
      attributes: {
        "openinference.span.kind": "RETRIEVER",
        "retrieval.documents.0.document.id": "returns-policy#0",
        "retrieval.documents.0.document.content": "Returns within 30 days.",
        "retrieval.documents.0.document.score": 0.71,
        "retrieval.documents.0.document.metadata": JSON.stringify({ docId: "returns-policy", title: "Returns policy" }),
      },
    },
    trace.setSpan(context.active(), tool),
  );
  retriever.end();
  if (toolFails) tool.setStatus({ code: SpanStatusCode.ERROR, message: "index missing" });
  tool.end();
  const llm = tracer.startSpan(
    "LocalChatModel",
    { attributes: { "openinference.span.kind": "LLM", "llm.token_count.total": 138, "llm.cost.total": 0 } },
    inChat,
  );
  llm.end();
  chat.setAttribute("output.value", "30 days.");
  chat.end();
  return { traceId: chat.spanContext().traceId, rootSpanId: chat.spanContext().spanId, toolSpanId: tool.spanContext().spanId };
}

/** What both readers must agree on; times to the millisecond (Phoenix keeps microseconds, the log doubles). */
function comparable(span: LoggedSpan) {
  const { attributes, startTimeMs, endTimeMs, ...rest } = span;
  const plain = Object.fromEntries(
    Object.entries(attributes).filter(([k]) => !k.startsWith("metadata") && !k.includes(".document.metadata")),
  );
  return { ...rest, startMs: Math.floor(startTimeMs), endMs: Math.floor(endTimeMs), attributes: plain };
}

let turns: Turn[];
let started: number;

beforeAll(async () => {
  phoenix = await startThrowawayPhoenix(root);
  client = new PhoenixClient({ baseUrl: phoenix.url, timeoutMs: 10_000 });
  phoenixReader = new PhoenixTraceReader(client, project);
  started = Date.now() - 1;
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": "trace-reader-it", "openinference.project.name": project }),
    spanProcessors: [
      new SimpleSpanProcessor(new OTLPTraceExporter({ url: phoenix.otlpTracesUrl })),
      new SimpleSpanProcessor(new SqliteSpanExporter(temp.log, { retentionDays: 0 })),
    ],
  });
  turns = [
    recordTurn(provider, "How long do I have to return a product?", "s-a"),
    recordTurn(provider, "And for drones?", "s-a", true),
    recordTurn(provider, "What is 2+2?", "s-b"),
  ];
  await provider.forceFlush();
  await provider.shutdown();
  // The reader answers an unknown project (nothing ingested yet) with no spans.
  await untilPhoenixHas(async () => {
    const counts = await Promise.all(turns.map(async (t) => (await phoenixReader.trace(t.traceId)).length));
    return counts.every((n) => n === 5) ? true : undefined;
  });
  const feedback = await recordFeedback(
    { traceId: turns[1]!.traceId, score: 0, comment: "drones are 14 days" },
    { traceLog: temp.log, flush: async () => {}, phoenix: client },
  );
  expect(await feedback.delivered).toBe(true);
  temp.log.addAnnotation({
    traceId: turns[1]!.traceId,
    name: "online.claims",
    annotatorKind: "CODE",
    score: 0.5,
    label: "unsupported_claims",
    explanation: "1 of 2",
  });
  await client.annotateSpans([
    {
      spanId: turns[1]!.rootSpanId,
      name: "online.claims",
      annotatorKind: "CODE",
      score: 0.5,
      label: "unsupported_claims",
      explanation: "1 of 2",
      identifier: "online-eval",
    },
  ]);
}, 300_000);

afterAll(async () => {
  await phoenix?.stop();
  temp.remove();
});

describe("PhoenixTraceReader against a real Phoenix, side by side with the trace log", () => {
  it("lists the same root spans, newest first, by window and by session", async () => {
    const window = { since: started, until: Date.now() + 1_000 };
    const fromLog = await logReader.rootSpans(window);
    const fromPhoenix = await phoenixReader.rootSpans(window);
    expect(fromLog.map((s) => s.traceId)).toEqual([...turns].reverse().map((t) => t.traceId));
    expect(fromPhoenix.map(comparable)).toEqual(fromLog.map(comparable));
    expect((await phoenixReader.rootSpans({ ...window, sessionId: "s-a" })).map((s) => s.traceId)).toEqual([
      turns[1]!.traceId,
      turns[0]!.traceId,
    ]);
    expect(await phoenixReader.rootSpans({ ...window, limit: 1 })).toHaveLength(1);
    expect(await phoenixReader.rootSpans({ since: Date.now() + 60_000 })).toEqual([]);
  });

  it("returns the same spans of a trace, metadata readable in either form", async () => {
    const fromLog = await logReader.trace(turns[1]!.traceId);
    const fromPhoenix = await phoenixReader.trace(turns[1]!.traceId);
    expect(fromPhoenix.map((s) => s.name).sort()).toEqual(["LocalChatModel", "chat", "knowledge_base_search", "route", "vector_search"]);
    expect(fromPhoenix[0]!.name).toBe("chat");
    expect(fromPhoenix.map(comparable)).toEqual(fromLog.map(comparable));
    expect(fromPhoenix.find((s) => s.spanId === turns[1]!.toolSpanId)).toMatchObject({
      statusCode: "ERROR",
      statusMessage: "index missing",
    });
    const meta = (spans: LoggedSpan[], key: string) =>
      objectAttribute(
        spans.find((s) => s.attributes[key] !== undefined || Object.keys(s.attributes).some((k) => k.startsWith(`${key}.`)))!.attributes,
        key,
      );
    expect(meta(fromPhoenix, "metadata")).toEqual(meta(fromLog, "metadata"));
    expect(meta(fromPhoenix, "retrieval.documents.0.document.metadata")).toEqual({ docId: "returns-policy", title: "Returns policy" });
    expect(await phoenixReader.trace("0".repeat(32))).toEqual([]);
  });

  it("returns the same judgements: user feedback and online scores", async () => {
    // Times differ by store (when each was written); the order of two judgements written in the same instant too.
    const strip = (j: TraceJudgement[]) => j.map(({ updatedAtMs: _, ...rest }) => rest).sort((a, b) => a.name.localeCompare(b.name));
    const fromLog = await logReader.judgements(turns[1]!.traceId);
    const fromPhoenix = await phoenixReader.judgements(turns[1]!.traceId);
    expect(strip(fromPhoenix)).toEqual(strip(fromLog));
    expect(fromPhoenix.find((j) => j.name === "user_feedback")).toMatchObject({
      annotatorKind: "HUMAN",
      score: 0,
      label: "thumbs_down",
      explanation: "drones are 14 days",
      spanId: turns[1]!.rootSpanId,
    });
    expect(await phoenixReader.judgements(turns[0]!.traceId)).toEqual([]);
  });

  it("reads an unknown project as empty rather than failing", async () => {
    const other = new PhoenixTraceReader(client, `${project}-none`);
    expect(await other.rootSpans({})).toEqual([]);
    expect(await other.trace(turns[0]!.traceId)).toEqual([]);
  });
});
