import { randomBytes } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { context, trace, SpanStatusCode } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PhoenixClient, PhoenixSpansNotFoundError } from "./phoenix-client";
import type { PhoenixSpan } from "./phoenix-rest-schemas";
import type { RunningPhoenix } from "./phoenix-server";
import { startThrowawayPhoenix, untilPhoenixHas } from "@/test-support/phoenix/throwaway-phoenix";

// A real Phoenix (the pinned arize-phoenix in .phoenix/venv) on free loopback ports with a
// throwaway database; spans go in through a real OTLP/proto exporter and come back out
// through the REST client, as they will for the app.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const project = `phoenix-client-it-${randomBytes(3).toString("hex")}`;

let phoenix: RunningPhoenix | undefined;
let client: PhoenixClient;

beforeAll(async () => {
  const started = Date.now();
  phoenix = await startThrowawayPhoenix(root);
  console.log(`[phoenix] venv checked and server started in ${Date.now() - started} ms at ${phoenix.url}`);
  client = new PhoenixClient({ baseUrl: phoenix.url, timeoutMs: 10_000 });
});

afterAll(async () => {
  await phoenix?.stop();
});

interface Exported {
  traceId: string;
  rootId: string;
  retrieverId: string;
  llmId: string;
}

async function exportTrace(otlpTracesUrl: string): Promise<Exported> {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": "phoenix-client-it", "openinference.project.name": project }),
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: otlpTracesUrl }))],
  });
  const tracer = provider.getTracer("phoenix-client-it");
  const root = tracer.startSpan("chat", {
    attributes: {
      "openinference.span.kind": "AGENT",
      "input.value": "What were Q3 sales?",
      "session.id": "s-1",
      "tag.tags": ["it", "phoenix"],
    },
  });
  const inRoot = trace.setSpan(context.active(), root);
  const retriever = tracer.startSpan(
    "vector_search",
    {
      attributes: {
        "openinference.span.kind": "RETRIEVER",
        "input.value": "Q3 sales",
        "retrieval.documents.0.document.id": "sales-q3#0",
        "retrieval.documents.0.document.content": "Q3 sales were $4.2M.",
        "retrieval.documents.0.document.score": 0.83,
        "retrieval.documents.1.document.id": "sales-q2#1",
        "retrieval.documents.1.document.score": 0.61,
      },
    },
    inRoot,
  );
  retriever.end();
  const llm = tracer.startSpan(
    "llm",
    {
      attributes: {
        "openinference.span.kind": "LLM",
        "llm.model_name": "SmolLM2-135M",
        "llm.token_count.prompt": 120,
        "llm.token_count.completion": 18,
        "llm.token_count.total": 138,
      },
    },
    inRoot,
  );
  llm.setStatus({ code: SpanStatusCode.OK });
  llm.end();
  root.end();
  await provider.forceFlush();
  await provider.shutdown();
  return {
    traceId: root.spanContext().traceId,
    rootId: root.spanContext().spanId,
    retrieverId: retriever.spanContext().spanId,
    llmId: llm.spanContext().spanId,
  };
}

describe("PhoenixClient against a real Phoenix", () => {
  let exported: Exported;
  let spans: PhoenixSpan[];

  beforeAll(async () => {
    expect(await client.health()).toBe(true);
    exported = await exportTrace(phoenix!.otlpTracesUrl);
    spans = await untilPhoenixHas(async () => {
      const all = await client.allSpans(project);
      return all.length >= 3 ? all : undefined;
    });
  });

  it("reads back the exported spans with their parent/child nesting", () => {
    const byId = new Map(spans.map((s) => [s.context.span_id, s]));
    expect(spans).toHaveLength(3);
    const root = byId.get(exported.rootId);
    const retriever = byId.get(exported.retrieverId);
    const llm = byId.get(exported.llmId);
    expect(root).toMatchObject({ name: "chat", parent_id: null, span_kind: "AGENT", context: { trace_id: exported.traceId } });
    expect(retriever).toMatchObject({ name: "vector_search", parent_id: exported.rootId, span_kind: "RETRIEVER" });
    expect(llm).toMatchObject({ name: "llm", parent_id: exported.rootId, span_kind: "LLM", status_code: "OK" });
    expect(root?.status_code).toBe("UNSET");
    expect(Date.parse(root?.start_time ?? "")).toBeLessThanOrEqual(Date.parse(root?.end_time ?? ""));
  });

  it("exposes attributes as one flat record keyed by OpenInference names", () => {
    const byId = new Map(spans.map((s) => [s.context.span_id, s]));
    expect(byId.get(exported.retrieverId)?.attributes).toMatchObject({
      "openinference.span.kind": "RETRIEVER",
      "input.value": "Q3 sales",
      "retrieval.documents.0.document.id": "sales-q3#0",
      "retrieval.documents.0.document.content": "Q3 sales were $4.2M.",
      "retrieval.documents.0.document.score": 0.83,
      "retrieval.documents.1.document.id": "sales-q2#1",
    });
    expect(byId.get(exported.llmId)?.attributes).toMatchObject({
      "openinference.span.kind": "LLM",
      "llm.model_name": "SmolLM2-135M",
      "llm.token_count.prompt": 120,
      "llm.token_count.completion": 18,
    });
    expect(byId.get(exported.rootId)?.attributes).toMatchObject({ "session.id": "s-1", "tag.tags": ["it", "phoenix"] });
  });

  it("pages with a cursor and filters by trace id and start time", async () => {
    const first = await client.listSpans(project, { limit: 2 });
    expect(first.spans).toHaveLength(2);
    expect(first.nextCursor).toBeDefined();
    const second = await client.listSpans(project, { limit: 2, cursor: first.nextCursor });
    expect(second.spans).toHaveLength(1);
    expect(second.nextCursor).toBeUndefined();
    expect((await client.listSpans(project, { traceIds: [exported.traceId] })).spans).toHaveLength(3);
    expect((await client.listSpans(project, { traceIds: ["0".repeat(32)] })).spans).toHaveLength(0);
    expect((await client.listSpans(project, { startTime: new Date(Date.now() + 60_000) })).spans).toHaveLength(0);
  });

  it("writes a HUMAN annotation and reads it back", async () => {
    const ids = await client.annotateSpans([
      {
        spanId: exported.retrieverId,
        name: "relevance",
        annotatorKind: "HUMAN",
        label: "relevant",
        score: 1,
        explanation: "the Q3 chunk answers the question",
        metadata: { reviewer: "it" },
      },
    ]);
    expect(ids).toHaveLength(1);
    const annotations = await client.spanAnnotations(project, [exported.retrieverId, exported.rootId]);
    expect(annotations).toHaveLength(1);
    expect(annotations[0]).toMatchObject({
      id: ids[0],
      span_id: exported.retrieverId,
      name: "relevance",
      annotator_kind: "HUMAN",
      result: { label: "relevant", score: 1, explanation: "the Q3 chunk answers the question" },
      metadata: { reviewer: "it" },
      source: "API",
    });
  });

  it("reports a span Phoenix does not have as a retryable typed error", async () => {
    const unknown = randomBytes(8).toString("hex");
    const error = await client
      .annotateSpans([{ spanId: unknown, name: "relevance", annotatorKind: "CODE", score: 0 }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PhoenixSpansNotFoundError);
    expect(error).toMatchObject({ code: "phoenix_span_not_found", spanIds: [unknown] });
    await expect(client.spanAnnotations(project, [unknown])).rejects.toBeInstanceOf(PhoenixSpansNotFoundError);
    await expect(client.listSpans(`${project}-missing`)).rejects.toMatchObject({ code: "phoenix_project_not_found" });
  });
});
