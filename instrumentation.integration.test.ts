import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatResult } from "./agents/contract";
import { startProductionServer, type RunningServer } from "@/test-support/server/production-server";
import { PhoenixClient } from "./lib/telemetry/phoenix-client";
import type { PhoenixSpan } from "./lib/telemetry/phoenix-rest-schemas";
import type { RunningPhoenix } from "./lib/telemetry/phoenix-server";
import { freePort } from "./test-support/process/free-port";
import { startThrowawayPhoenix } from "@/test-support/phoenix/throwaway-phoenix";
import { TraceLog } from "./lib/telemetry/trace-log/trace-log";

// The tracing contract of DESIGN.md, end to end: a real Phoenix, the production build of the
// app (instrumentation.ts as Next.js runs it), the real local models, spans read back from
// Phoenix's REST API. LangChain's own spans (agent_graph, the LLM calls) only appear if the
// instrumentation patched the very copy of @langchain/core the bundled route uses.

const root = process.cwd();
const project = `tracing-test-${Date.now()}`;
const workDir = mkdtempSync(path.join(os.tmpdir(), "rag-tracing-"));
const traceLogPath = path.join(workDir, "traces.sqlite");
let phoenix: RunningPhoenix;
let server: RunningServer;
let client: PhoenixClient;

beforeAll(async () => {
  phoenix = await startThrowawayPhoenix(root);
  client = new PhoenixClient({ baseUrl: phoenix.url, timeoutMs: 10_000 });
  server = await startProductionServer({
    port: await freePort(),
    env: { PHOENIX_COLLECTOR_ENDPOINT: phoenix.url, PHOENIX_PROJECT_NAME: project, TRACE_LOG_PATH: traceLogPath, TRACING: "on" },
  });
}, 300_000);

afterAll(async () => {
  await server?.stop();
  await phoenix?.stop();
  rmSync(workDir, { recursive: true, force: true });
});

/** A turn in a new session: the server issues the session id (a made-up one would start a new session anyway). */
async function chat(message: string): Promise<ChatResult> {
  const response = await fetch(`${server.url}/api/chat`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ message, sessionId: "made-up-by-the-client" }),
  });
  expect(response.status, server.output().slice(-2000)).toBe(200);
  return (await response.json()) as ChatResult;
}

/** The trace's spans once Phoenix has them all (the root ends last; then the count settles). */
async function spansOf(traceId: string): Promise<PhoenixSpan[]> {
  let previous = -1;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const spans = await client.allSpans(project, { traceIds: [traceId] }).catch(() => []);
    if (spans.some((s) => s.parent_id === null) && spans.length === previous) return spans;
    previous = spans.length;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  throw new Error(`trace ${traceId} did not arrive in Phoenix`);
}

function checkTraceShape(spans: PhoenixSpan[], sessionId: string) {
  const roots = spans.filter((s) => s.parent_id === null);
  expect(roots).toHaveLength(1);
  const rootSpan = roots[0]!;
  expect(rootSpan).toMatchObject({ name: "chat", span_kind: "AGENT" });
  expect(rootSpan.attributes["session.id"]).toBe(sessionId);
  expect(sessionId).not.toBe("made-up-by-the-client");
  expect(rootSpan.attributes["input.value"]).toEqual(expect.any(String));
  expect(rootSpan.attributes["output.value"]).toEqual(expect.any(String));
  // Every span hangs off the root through its parents.
  const byId = new Map(spans.map((s) => [s.context.span_id, s]));
  for (const span of spans) {
    let cursor: PhoenixSpan | undefined = span;
    for (let hops = 0; cursor && cursor.parent_id !== null && hops < 50; hops++) cursor = byId.get(cursor.parent_id);
    expect(cursor?.context.span_id, `${span.name} is not under the root`).toBe(rootSpan.context.span_id);
  }
  const kinds = new Set(spans.map((s) => s.span_kind));
  // agent_graph and the node spans come from the LangChain instrumentation.
  expect(spans.some((s) => s.name === "agent_graph" && s.span_kind === "CHAIN")).toBe(true);
  for (const llm of spans.filter((s) => s.span_kind === "LLM")) {
    expect(llm.attributes["llm.token_count.prompt"]).toBeGreaterThan(0);
    expect(llm.attributes["llm.token_count.completion"]).toBeGreaterThan(0);
    expect(llm.attributes["llm.cost.total"]).toBe(0); // the local model: counted, free
    expect(llm.attributes["llm.provider"]).toBe("llama.cpp");
    expect(llm.attributes["llm.model_name"]).toEqual(expect.any(String));
  }
  const ancestors = (s: PhoenixSpan) => {
    const names: string[] = [];
    for (let c = s.parent_id ? byId.get(s.parent_id) : undefined; c; c = c.parent_id ? byId.get(c.parent_id) : undefined)
      names.push(c.name);
    return names;
  };
  return { root: rootSpan, kinds, byName: (name: string) => spans.filter((s) => s.name === name), ancestors };
}

describe("tracing against the production server and a real Phoenix", () => {
  const results: Record<string, ChatResult> = {};

  it("traces a knowledge question: tool, embedding, retrieval with ids and scores, LLM with tokens and cost", async () => {
    results.kb = await chat("How many days do I have to return a product?");
    const t = checkTraceShape(await spansOf(results.kb.traceId), results.kb.sessionId);
    for (const kind of ["AGENT", "CHAIN", "TOOL", "RETRIEVER", "EMBEDDING", "LLM"]) expect(t.kinds).toContain(kind);
    const retriever = t.byName("vector_search")[0]!;
    expect(t.ancestors(retriever)[0]).toBe("knowledge_base_search");
    expect(t.ancestors(t.byName("embed_query")[0]!)[0]).toBe("knowledge_base_search");
    expect(retriever.attributes["retrieval.documents.0.document.id"]).toMatch(/#\d+$/);
    expect(retriever.attributes["retrieval.documents.0.document.score"]).toEqual(expect.any(Number));
    expect(results.kb.sources.map((s) => s.id)).toContain(retriever.attributes["retrieval.documents.0.document.id"]);
    expect(t.byName("route")[0]!.attributes["agent.route.chosen"]).toBe("knowledge_base_search");
    expect(results.kb.traceUrl).toBe(`${phoenix.url}/redirects/traces/${results.kb.traceId}`);
  });

  it("traces a sales question through the sales_query tool", async () => {
    results.sales = await chat("Which region had the highest revenue in Q2?");
    const t = checkTraceShape(await spansOf(results.sales.traceId), results.sales.sessionId);
    const tool = t.byName("sales_query")[0]!;
    expect(tool.span_kind).toBe("TOOL");
    expect(t.byName("route")[0]!.attributes["agent.route.chosen"]).toBe("sales_query");
    expect(t.kinds).toContain("LLM");
  });

  it("traces a code question through run_code, with the model's LLM call", async () => {
    results.code = await chat("write a function that returns the nth Fibonacci number and test it");
    const t = checkTraceShape(await spansOf(results.code.traceId), results.code.sessionId);
    expect(t.byName("run_code")[0]!.span_kind).toBe("TOOL");
    expect(t.kinds).toContain("LLM");
  });

  it("puts feedback in the log and on the root span in Phoenix as a HUMAN annotation", async () => {
    const { traceId } = results.kb!;
    const post = (body: unknown) =>
      fetch(`${server.url}/api/feedback`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const response = await post({ traceId, score: 1, comment: "exactly right" });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ feedback: { traceId, score: 1, comment: "exactly right" }, phoenix: "queued" });
    expect((await post({ traceId: "0".repeat(32), score: 1 })).status).toBe(404);
    expect((await post({ traceId, score: 5 })).status).toBe(400);

    const rootSpanId = (await spansOf(traceId)).find((s) => s.parent_id === null)!.context.span_id;
    await expect
      .poll(async () => (await client.spanAnnotations(project, [rootSpanId]).catch(() => [])).find((a) => a.name === "user_feedback"), {
        timeout: 30_000,
        interval: 1_000,
      })
      .toMatchObject({ annotator_kind: "HUMAN", result: { score: 1, label: "thumbs_up", explanation: "exactly right" } });
  });

  it("keeps answering, and logging, with Phoenix stopped", async () => {
    await phoenix.stop();
    const result = await chat("How many days do I have to return a product?");
    expect(result.answer.length).toBeGreaterThan(0);
    const log = new TraceLog(traceLogPath);
    try {
      await expect.poll(() => log.rootSpan(result.traceId)?.name, { timeout: 10_000 }).toBe("chat");
      expect(log.trace(result.traceId).map((s) => s.spanKind)).toEqual(expect.arrayContaining(["AGENT", "TOOL", "RETRIEVER", "LLM"]));
      // The earlier requests and their feedback are there too.
      expect(log.feedbackFor(results.kb!.traceId)).toHaveLength(1);
    } finally {
      log.close();
    }
    const feedback = await fetch(`${server.url}/api/feedback`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ traceId: result.traceId, score: 0 }),
    });
    expect(feedback.status).toBe(201);
    await expect
      .poll(
        async () =>
          ((await (await fetch(`${server.url}/api/health`)).json()) as { tracing: { phoenix: { dropped: number } } }).tracing.phoenix
            .dropped,
        {
          timeout: 30_000,
          interval: 1_000,
        },
      )
      .toBeGreaterThan(0);
    expect(server.output().match(/Phoenix at .* is not reachable/g)).toHaveLength(1);
  });
});
