import { describe, expect, it } from "vitest";
import { fixtureTrace } from "@/test-support/evals/fixture-traces";
import { summarizeTrace } from "./trace-summary";

describe("summarizeTrace", () => {
  it("reads question, answer, route, tools, chunks, cost and tokens from the agent's spans", () => {
    const { spans, judgements } = fixtureTrace({
      question: "What is the R100's payload?",
      answer: "500 kg.",
      confidence: 0.42,
      sessionId: "s-7",
      tokens: 420,
      latencyMs: 2345.6,
      chunks: [
        { id: "product-r100#1", score: 0.52, content: "Payload 500 kg", title: "Roadrunner R100" },
        { id: "product-r100#0", score: 0.61, content: "The R100", title: "Roadrunner R100" },
      ],
    });
    const s = summarizeTrace(spans, judgements)!;
    expect(s).toMatchObject({
      traceId: spans[0]!.traceId,
      sessionId: "s-7",
      question: "What is the R100's payload?",
      answer: "500 kg.",
      route: "knowledge_base_search",
      routeConfidence: 0.42,
      routeMethod: "router",
      latencyMs: 2346,
      costUsd: 0,
      tokens: 420,
      errors: [],
      feedback: [],
      onlineScores: {},
      tags: ["model:smollm2-135m"],
    });
    expect(s.toolCalls).toEqual([
      { name: "knowledge_base_search", input: '{"query":"What is the R100\'s payload?"}', output: '{"chunks":[]}', status: "ok" },
    ]);
    // Best score first, with the document id and title from the chunk's metadata.
    expect(s.retrieved.map((c) => [c.id, c.docId, c.title, c.score])).toEqual([
      ["product-r100#0", "product-r100", "Roadrunner R100", 0.61],
      ["product-r100#1", "product-r100", "Roadrunner R100", 0.52],
    ]);
  });

  it("reads document metadata the way Phoenix returns it (flattened) the same as the log's JSON", () => {
    const chunks = [{ id: "returns-policy#0", score: 0.7, title: "Returns policy" }];
    const log = summarizeTrace(fixtureTrace({ chunks }).spans, [])!;
    const phoenix = summarizeTrace(fixtureTrace({ chunks, flattenedMetadata: true }).spans, [])!;
    expect(phoenix.retrieved).toEqual(log.retrieved);
  });

  it("keeps the latest feedback and the latest online score of each name", () => {
    const { spans, judgements } = fixtureTrace({
      feedback: [
        { score: 1, atMs: Date.parse("2026-03-02T00:00:00Z") },
        { score: 0, comment: "wrong figure", atMs: Date.parse("2026-03-02T00:01:00Z") },
      ],
      online: {
        "online.claims": { score: 0.5, label: "unsupported_claims", explanation: "1 of 2" },
        "eval.other": { score: 1, label: "x" },
      },
    });
    const s = summarizeTrace(spans, judgements)!;
    expect(s.feedback).toEqual([{ score: 0, comment: "wrong figure" }]);
    expect(s.onlineScores).toEqual({ "online.claims": { score: 0.5, label: "unsupported_claims", explanation: "1 of 2" } });
  });

  it("separates failed tool calls from other errors", () => {
    const s = summarizeTrace(fixtureTrace({ toolFailed: "sales_query timed out", llmFailed: "model crashed" }).spans, [])!;
    expect(s.toolCalls[0]).toMatchObject({ status: "error", output: "sales_query timed out" });
    expect(s.errors).toEqual([{ span: "LocalChatModel", message: "model crashed" }]);
  });

  it("is undefined for a trace that is not an agent turn", () => {
    expect(summarizeTrace(fixtureTrace({ rootName: "ingest" }).spans, [])).toBeUndefined();
  });
});
