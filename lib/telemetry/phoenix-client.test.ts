import { afterEach, describe, expect, it, vi } from "vitest";
import { AppError } from "../errors";
import { PhoenixClient, PhoenixSpansNotFoundError } from "./phoenix-client";
import { flattenAttributes, parseSpansResponse, type PhoenixSpan } from "./phoenix-rest-schemas";

// A span as arize-phoenix 20.26.1 returns it from GET /v1/projects/{p}/spans.
const rawSpan = {
  id: "U3Bhbjoy",
  name: "vector_search",
  context: { trace_id: "60ef3af614ff39276c920c31f0b63711", span_id: "5d0d3b824b6e9bcd" },
  span_kind: "RETRIEVER",
  parent_id: "fc71d28fe7c744de",
  start_time: "2026-11-27T23:02:23.708000+00:00",
  end_time: "2026-11-27T23:02:23.708108+00:00",
  status_code: "UNSET",
  status_message: "",
  attributes: {
    "llm.token_count.prompt": 12,
    "retrieval.documents.0.document.id": "doc-1",
    "retrieval.documents.0.document.score": 0.9,
    "tag.tags": ["a", "b"],
  },
  events: [],
};

describe("flattenAttributes", () => {
  it("passes a flat record through", () => {
    expect(flattenAttributes({ "input.value": "hi", "llm.token_count.prompt": 3, ok: true, none: null })).toEqual({
      "input.value": "hi",
      "llm.token_count.prompt": 3,
      ok: true,
      none: null,
    });
  });

  it("flattens nested objects and lists of objects to dotted OpenInference keys", () => {
    const nested = {
      openinference: { span: { kind: "RETRIEVER" } },
      retrieval: { documents: [{ document: { id: "a", score: 0.5, metadata: { source: "x.md" } } }, { document: { id: "b" } }] },
      llm: { token_count: { prompt: 10, completion: 2 } },
    };
    expect(flattenAttributes(nested)).toEqual({
      "openinference.span.kind": "RETRIEVER",
      "retrieval.documents.0.document.id": "a",
      "retrieval.documents.0.document.score": 0.5,
      "retrieval.documents.0.document.metadata.source": "x.md",
      "retrieval.documents.1.document.id": "b",
      "llm.token_count.prompt": 10,
      "llm.token_count.completion": 2,
    });
  });

  it("keeps lists of primitives as lists", () => {
    expect(flattenAttributes({ tag: { tags: ["a", "b"] }, scores: [1, 2] })).toEqual({ "tag.tags": ["a", "b"], scores: [1, 2] });
  });

  it("merges mixed flat and nested keys", () => {
    expect(flattenAttributes({ "llm.model_name": "m", llm: { provider: "openai" } })).toEqual({
      "llm.model_name": "m",
      "llm.provider": "openai",
    });
  });
});

/** One span through the listing parser, the way every span from the REST API is read. */
function parseSpan(raw: unknown): PhoenixSpan {
  const [span] = parseSpansResponse({ data: [raw], next_cursor: null }).spans;
  if (!span) throw new Error("the listing parser returned no span");
  return span;
}

describe("parsing a span", () => {
  it("keeps the server's fields and puts openinference.span.kind back into the attributes", () => {
    const span = parseSpan(rawSpan);
    expect(span.context.span_id).toBe("5d0d3b824b6e9bcd");
    expect(span.parent_id).toBe("fc71d28fe7c744de");
    expect(span.span_kind).toBe("RETRIEVER");
    expect(span.attributes["openinference.span.kind"]).toBe("RETRIEVER");
    expect(span.attributes["retrieval.documents.0.document.id"]).toBe("doc-1");
    expect(span.attributes["tag.tags"]).toEqual(["a", "b"]);
  });

  it("accepts a root span with null parent and missing optional fields", () => {
    const { id: _id, status_message: _m, events: _e, ...minimal } = rawSpan;
    const span = parseSpan({ ...minimal, parent_id: null, attributes: { openinference: { span: { kind: "CHAIN" } } } });
    expect(span.parent_id).toBeNull();
    expect(span.status_message).toBe("");
    expect(span.events).toEqual([]);
    expect(span.attributes["openinference.span.kind"]).toBe("CHAIN");
  });

  it("rejects a malformed span as phoenix_request_failed", () => {
    const { context: _c, ...broken } = rawSpan;
    expect(() => parseSpan(broken)).toThrowError(expect.objectContaining({ code: "phoenix_request_failed" }));
  });
});

describe("parseSpansResponse", () => {
  it("maps next_cursor to nextCursor and drops a null one", () => {
    expect(parseSpansResponse({ data: [rawSpan], next_cursor: "U3Bhbjox" }).nextCursor).toBe("U3Bhbjox");
    const last = parseSpansResponse({ data: [], next_cursor: null });
    expect(last).toEqual({ spans: [] });
  });

  it("rejects a body that is not a listing", () => {
    expect(() => parseSpansResponse({ spans: [] })).toThrow(AppError);
  });
});

describe("PhoenixClient (fetch stubbed)", () => {
  afterEach(() => vi.unstubAllGlobals());

  const client = new PhoenixClient({ baseUrl: "http://phoenix.test/", apiKey: "k", timeoutMs: 1_000 });

  it("sends filters as query parameters and the API key as a bearer token", async () => {
    const fetchMock = vi.fn((_url: URL, _init?: RequestInit) => Promise.resolve(Response.json({ data: [rawSpan], next_cursor: null })));
    vi.stubGlobal("fetch", fetchMock);
    const page = await client.listSpans("my project", { limit: 5, startTime: new Date("2026-01-01T00:00:00Z"), traceIds: ["t1", "t2"] });
    expect(page.spans).toHaveLength(1);
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(String(url)).toBe(
      "http://phoenix.test/v1/projects/my%20project/spans?limit=5&start_time=2026-01-01T00%3A00%3A00.000Z&trace_id=t1&trace_id=t2",
    );
    expect(new Headers(init?.headers).get("authorization")).toBe("Bearer k");
  });

  it("follows the cursor in allSpans", async () => {
    const pages = [
      { data: [rawSpan], next_cursor: "c2" },
      { data: [{ ...rawSpan, context: { ...rawSpan.context, span_id: "fc71d28fe7c744de" } }], next_cursor: null },
    ];
    const fetchMock = vi.fn((_url: URL) => Promise.resolve(Response.json(pages.shift())));
    vi.stubGlobal("fetch", fetchMock);
    const spans = await client.allSpans("p");
    expect(spans.map((s) => s.context.span_id)).toEqual(["5d0d3b824b6e9bcd", "fc71d28fe7c744de"]);
    expect(new URL(String(fetchMock.mock.calls[1]?.[0])).searchParams.get("cursor")).toBe("c2");
  });

  it("turns a 404 on a project into phoenix_project_not_found", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(() => Promise.resolve(new Response("Project with name p not found", { status: 404 }))),
    );
    await expect(client.listSpans("p")).rejects.toMatchObject({ code: "phoenix_project_not_found" });
  });

  it("posts annotations synchronously in Phoenix's shape", async () => {
    const fetchMock = vi.fn((_url: URL, _init?: RequestInit) =>
      Promise.resolve(Response.json({ data: [{ id: "U3BhbkFubm90YXRpb246MQ==" }] })),
    );
    vi.stubGlobal("fetch", fetchMock);
    const ids = await client.annotateSpans([
      { spanId: "5d0d3b824b6e9bcd", name: "correct", annotatorKind: "HUMAN", label: "yes", score: 1 },
    ]);
    expect(ids).toEqual(["U3BhbkFubm90YXRpb246MQ=="]);
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(String(url)).toBe("http://phoenix.test/v1/span_annotations?sync=true");
    expect(JSON.parse(typeof init?.body === "string" ? init.body : "")).toEqual({
      data: [
        {
          span_id: "5d0d3b824b6e9bcd",
          name: "correct",
          annotator_kind: "HUMAN",
          result: { label: "yes", score: 1, explanation: null },
          metadata: {},
          identifier: "",
        },
      ],
    });
  });

  it("surfaces an unknown span as a retryable PhoenixSpansNotFoundError naming it", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(() => Promise.resolve(new Response("Spans with IDs 1a2b3c4d5e6f7a8b do not exist.", { status: 404 }))),
    );
    const error = await client
      .annotateSpans([
        { spanId: "1a2b3c4d5e6f7a8b", name: "x", annotatorKind: "CODE" },
        { spanId: "5d0d3b824b6e9bcd", name: "x", annotatorKind: "CODE" },
      ])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PhoenixSpansNotFoundError);
    expect(error).toMatchObject({ code: "phoenix_span_not_found", spanIds: ["1a2b3c4d5e6f7a8b"] });
  });

  it("rejects invalid annotations before sending anything", async () => {
    const fetchMock = vi.fn();
    vi.stubGlobal("fetch", fetchMock);
    await expect(client.annotateSpans([{ spanId: "not-hex", name: "x", annotatorKind: "HUMAN" }])).rejects.toMatchObject({
      code: "bad_request",
    });
    await expect(client.annotateSpans([{ spanId: "5d0d3b824b6e9bcd", name: "note", annotatorKind: "HUMAN" }])).rejects.toMatchObject({
      code: "bad_request",
    });
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("reports other HTTP errors and network failures with their own codes", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(() => Promise.resolve(new Response("boom", { status: 500 }))),
    );
    await expect(client.listSpans("p")).rejects.toMatchObject({ code: "phoenix_request_failed" });
    vi.stubGlobal(
      "fetch",
      vi.fn(() => Promise.reject(new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:6006") }))),
    );
    await expect(client.listSpans("p")).rejects.toMatchObject({
      code: "phoenix_unavailable",
      message: expect.stringContaining("ECONNREFUSED"),
    });
    expect(await client.health()).toBe(false);
  });

  it("validates annotation listings and tells a missing project from missing spans", async () => {
    const annotation = {
      id: "a1",
      span_id: "5d0d3b824b6e9bcd",
      name: "correct",
      annotator_kind: "HUMAN",
      result: { label: "yes", score: 1.0, explanation: null },
      metadata: {},
      identifier: "",
      source: "API",
      user_id: null,
      created_at: "2026-11-27T23:02:30+00:00",
      updated_at: "2026-11-27T23:02:30+00:00",
    };
    vi.stubGlobal(
      "fetch",
      vi.fn(() => Promise.resolve(Response.json({ data: [annotation], next_cursor: null }))),
    );
    expect(await client.spanAnnotations("p", ["5d0d3b824b6e9bcd"])).toEqual([annotation]);

    // 404 on the annotations, then 200 on the project: the spans are what is missing.
    const responses = [new Response("None of the supplied span_ids exist in this project", { status: 404 }), Response.json({ data: {} })];
    vi.stubGlobal(
      "fetch",
      vi.fn(() => Promise.resolve(responses.shift())),
    );
    await expect(client.spanAnnotations("p", ["1a2b3c4d5e6f7a8b"])).rejects.toBeInstanceOf(PhoenixSpansNotFoundError);

    vi.stubGlobal(
      "fetch",
      vi.fn(() => Promise.resolve(new Response("Project with name p not found", { status: 404 }))),
    );
    await expect(client.spanAnnotations("p", ["1a2b3c4d5e6f7a8b"])).rejects.toMatchObject({ code: "phoenix_project_not_found" });
  });
});
