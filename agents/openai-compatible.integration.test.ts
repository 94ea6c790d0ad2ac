import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { SemanticConventions as SC } from "@arizeai/openinference-semantic-conventions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppConfig, loadConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http/responses";
import { ensureLlamaServerVenv, type RunningLlamaServer, startLlamaServer } from "@/lib/llm/llama-server";
import { createChatModel, describeModel, localModelPath } from "@/lib/llm/provider";
import { loadPriceTable } from "@/lib/pricing/price-table";
import { InMemorySessionStore } from "@/lib/sessions/session-store";
import { startNodeTracing } from "@/lib/telemetry/node-tracing";
import type { StoredSpan } from "@/lib/telemetry/trace-log/span-record";
import type { TracingPipeline } from "@/lib/telemetry/tracing-pipeline";
import { collect } from "@/test-support/async/collect";
import { startErrorStatusStub, startSilentStub } from "@/test-support/llm/openai-stub-servers";
import { freePort } from "@/test-support/process/free-port";
import { streamChatEvents } from "./chat-stream";
import { runChatTurn } from "./chat-turn";
import type { ChatEvent } from "./contract";
import type { AgentDeps } from "./graph/types";
import { getChatDeps } from "./runtime";

// The OPENAI_BASE_URL path for real: the agent (the chat route's own entries, streamChatEvents
// and runChatTurn) with LLM_PROVIDER=openai against llama.cpp's OpenAI-compatible server
// serving the local SmolLM2 on 127.0.0.1, traced through the app's span pipeline into a temp
// trace log; then against stub servers that hang, rate-limit or fail, to check what a user
// gets back and that the timeouts and the retry cap hold. Only the chat model changes between
// cases; the embedder, index, router and tools are the app's own (getChatDeps).

const MODEL_ALIAS = "smollm2-135m";
const dir = mkdtempSync(path.join(os.tmpdir(), "openai-compatible-"));
let server: RunningLlamaServer;
let tracing: TracingPipeline;
let appDeps: AgentDeps;

beforeAll(async () => {
  const root = process.cwd();
  const base = loadConfig({ ...process.env, TRACING: "on", PHOENIX_EXPORT: "off", TRACE_LOG_PATH: path.join(dir, "traces.sqlite") });
  tracing = startNodeTracing(base)!;
  await ensureLlamaServerVenv({ root, onProgress: (line) => console.log(`[llm-server venv] ${line}`) });
  const [running, deps] = await Promise.all([
    startLlamaServer({
      root,
      modelPath: localModelPath({ ...base.llm, provider: "local" }, base.models.dir),
      alias: MODEL_ALIAS,
      host: "127.0.0.1",
      port: await freePort(),
      threads: 1,
      contextSize: 2048,
    }),
    getChatDeps(),
  ]);
  server = running;
  appDeps = deps;
}, 300_000);

afterAll(async () => {
  await server?.stop();
  await tracing?.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

/** The app's configuration for an OpenAI-compatible server at `baseURL`, and the agent built from it as runtime.ts builds it. */
function openAIAgent(baseURL: string, env: Record<string, string> = {}): { config: AppConfig; deps: AgentDeps } {
  const config = loadConfig({
    ...process.env,
    LLM_PROVIDER: "openai",
    OPENAI_BASE_URL: baseURL,
    OPENAI_MODEL: MODEL_ALIAS,
    // llama-cpp-python's server refuses the json_schema response format (README, OPENAI_STRUCTURED_OUTPUT).
    OPENAI_STRUCTURED_OUTPUT: "function_calling",
    // Short replies keep the test quick: a server that ignores `tools` answers the routing call in prose.
    LLM_MAX_TOKENS: "96",
    ...env,
  });
  const deps: AgentDeps = {
    ...appDeps,
    sessions: new InMemorySessionStore(),
    chatModel: createChatModel(config.llm, config.models.dir),
    provider: config.llm.provider,
    model: describeModel(config.llm),
  };
  return { config, deps };
}

function streamTurn(message: string, agent: { config: AppConfig; deps: AgentDeps }): Promise<ChatEvent[]> {
  return collect(streamChatEvents({ message }, async () => agent.deps, undefined, agent.config.capacity.turnDeadlineMs));
}

/** A JSON-mode turn that must fail: the AppError, the response the route would send, and how long it took. */
async function failingJsonTurn(message: string, agent: { config: AppConfig; deps: AgentDeps }) {
  const started = performance.now();
  const error = await runChatTurn({ message }, async () => agent.deps, { deadlineMs: agent.config.capacity.turnDeadlineMs }).then(
    () => undefined,
    (e: unknown) => e,
  );
  const ms = performance.now() - started;
  expect(error).toBeInstanceOf(AppError);
  const response = errorResponse(error);
  const body = (await response.json()) as { error: { code: string; message: string } };
  return { error: error as AppError, ms, response, body };
}

async function spansOf(traceId: string): Promise<StoredSpan[]> {
  await tracing.flush();
  return tracing.traceLog.trace(traceId);
}

const tokens = (events: ChatEvent[]) => events.flatMap((e) => (e.type === "token" ? [e.text] : []));
const traceIdOf = (events: ChatEvent[]) => events.flatMap((e) => (e.type === "trace" ? [e.traceId] : []))[0]!;
const offersTools = (span: StoredSpan) => Object.keys(span.attributes).some((k) => k.startsWith(`${SC.LLM_TOOLS}.`));
const hasTokenCounts = (span: StoredSpan) =>
  typeof span.attributes[SC.LLM_TOKEN_COUNT_PROMPT] === "number" && typeof span.attributes[SC.LLM_TOKEN_COUNT_COMPLETION] === "number";

describe("the agent through llama.cpp's OpenAI-compatible server", () => {
  it("streams a grounded answer in several chunks, with token counts and costs on its LLM spans", async () => {
    const events = await streamTurn("How long is paid parental leave for a primary caregiver?", openAIAgent(server.baseURL));
    expect(events.filter((e) => e.type === "error")).toEqual([]);
    expect(events.at(-1)).toEqual({ type: "done" });
    expect(events.find((e) => e.type === "step")).toMatchObject({ step: { type: "route", route: "knowledge_base_search" } });
    expect(events.find((e) => e.type === "sources")).toMatchObject({ sources: expect.arrayContaining([expect.anything()]) });
    expect(tokens(events).length).toBeGreaterThan(1);
    expect(tokens(events).join("").trim()).not.toBe("");

    const llm = (await spansOf(traceIdOf(events))).filter((s) => s.spanKind === "LLM");
    // The routing call (with the tools) and the streamed answer.
    expect(llm.length).toBeGreaterThanOrEqual(2);
    for (const span of llm) expect(span.attributes).toMatchObject({ [SC.LLM_PROVIDER]: "openai", [SC.LLM_MODEL_NAME]: MODEL_ALIAS });
    const routing = llm.find(offersTools);
    expect(routing, "no LLM span offered the tools").toBeDefined();
    expect(routing!.attributes[SC.LLM_TOKEN_COUNT_PROMPT]).toBeGreaterThan(0);
    expect(routing!.attributes[SC.LLM_TOKEN_COUNT_COMPLETION]).toBeGreaterThan(0);
    // The alias is priced in data/prices.json (a local model: 0 USD), so the cost is a known zero.
    const prices = loadPriceTable(path.resolve("data/prices.json"));
    expect(prices.priceFor(MODEL_ALIAS)).toEqual({ prompt: 0, completion: 0 });
    expect(routing!.attributes).toMatchObject({
      [SC.LLM_COST_PROMPT]: 0,
      [SC.LLM_COST_COMPLETION]: 0,
      [SC.LLM_COST_TOTAL]: 0,
      "llm.cost.price_table_version": prices.version,
    });
    // A cost only where tokens were counted: llama-cpp-python's server sends no usage on a
    // streamed reply (it ignores stream_options.include_usage), so the answer span may have
    // neither; a cost there would be made up.
    for (const span of llm) expect(span.attributes[SC.LLM_COST_TOTAL] !== undefined, span.name).toBe(hasTokenCounts(span));
  });

  it("reaches the calculator for an arithmetic question, by a native tool call or the router's fallback, as the trace shows", async () => {
    const agent = openAIAgent(server.baseURL);
    const result = await runChatTurn({ message: "What is 15% of 240?" }, async () => agent.deps, {
      deadlineMs: agent.config.capacity.turnDeadlineMs,
    });
    const route = result.steps.find((s) => s.type === "route");
    // The model was offered the tools (llmConsulted); llama-cpp-python's server with SmolLM2's
    // chat template answers in prose, and the app then takes the semantic router's route.
    expect(route).toMatchObject({ route: "calculator", llmConsulted: true, method: expect.stringMatching(/^(tool_calling|router)$/) });
    expect(result.steps).toContainEqual(expect.objectContaining({ type: "tool_start", tool: "calculator" }));
    const end = result.steps.find((s) => s.type === "tool_end" && s.tool === "calculator");
    expect(end).toMatchObject({ output: expect.stringContaining('"result":"36"') });
    expect(end).not.toHaveProperty("error");
    expect(result.answer).toContain("36");

    const spans = await spansOf(result.traceId);
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const tool = spans.find((s) => s.spanKind === "TOOL" && s.name === "calculator");
    expect(tool?.outputValue).toContain("36");
    const ancestors: string[] = [];
    for (let p = tool?.parentSpanId; p; p = byId.get(p)?.parentSpanId) ancestors.push(byId.get(p)?.name ?? "?");
    expect(ancestors.at(-1)).toBe("chat");
    const offered = spans.filter((s) => s.spanKind === "LLM" && offersTools(s));
    expect(offered).toHaveLength(1);
    const schemas = Object.entries(offered[0]!.attributes).flatMap(([key, value]) =>
      key.startsWith(`${SC.LLM_TOOLS}.`) ? [String(value)] : [],
    );
    expect(schemas.some((schema) => schema.includes('"name":"calculator"'))).toBe(true);
  });
});

describe("an OpenAI-compatible server that fails", () => {
  const QUESTION = "How long is paid parental leave?";

  it("that never answers: each call ends at OPENAI_TIMEOUT_MS with llm_timeout, and no request is left open", async () => {
    const silent = await startSilentStub();
    try {
      const agent = openAIAgent(silent.baseURL, { OPENAI_TIMEOUT_MS: "1000", OPENAI_MAX_RETRIES: "0", TURN_DEADLINE_MS: "30000" });
      const { error, ms, response, body } = await failingJsonTurn(QUESTION, agent);
      expect(error.code).toBe("llm_timeout");
      expect([response.status, body.error.code]).toEqual([504, "llm_timeout"]);
      expect(body.error.message).toContain("OPENAI_TIMEOUT_MS");
      // Two calls (routing, then the answer), one second each, far inside the turn's deadline.
      expect(ms).toBeGreaterThanOrEqual(1000);
      expect(ms).toBeLessThan(8000);
      expect(silent.requests()).toBe(2);
      await expect.poll(() => silent.pendingRequests(), { timeout: 2000 }).toBe(0);
    } finally {
      await silent.stop();
    }
  });

  it("that never answers, with a long call timeout: TURN_DEADLINE_MS ends the turn with turn_deadline and drops the call", async () => {
    const silent = await startSilentStub();
    try {
      const agent = openAIAgent(silent.baseURL, { OPENAI_TIMEOUT_MS: "60000", TURN_DEADLINE_MS: "1500" });
      const { ms, response, body } = await failingJsonTurn(QUESTION, agent);
      expect([response.status, body.error.code]).toEqual([504, "turn_deadline"]);
      expect(ms).toBeGreaterThanOrEqual(1400);
      expect(ms).toBeLessThan(4000);
      expect(silent.requests()).toBeGreaterThan(0);
      // The deadline aborts the call itself, not only the wait for it.
      await expect.poll(() => silent.pendingRequests(), { timeout: 2000 }).toBe(0);
    } finally {
      await silent.stop();
    }
  });

  it("that rate-limits (429): llm_rate_limited, a 503 with the server's Retry-After, retried OPENAI_MAX_RETRIES times", async () => {
    const limited = await startErrorStatusStub(429, { "retry-after": "1" });
    try {
      const { error, response, body } = await failingJsonTurn(QUESTION, openAIAgent(limited.baseURL, { OPENAI_MAX_RETRIES: "1" }));
      expect(error.code).toBe("llm_rate_limited");
      expect([response.status, response.headers.get("retry-after"), body.error.code]).toEqual([503, "1", "llm_rate_limited"]);
      expect(body.error.message).toContain("429");
      expect(body.error.message).not.toMatch(/Troubleshooting URL|\n/);
      // Two calls (routing, then the answer), each tried once and retried once.
      expect(limited.requests()).toBe(2 * (1 + 1));
    } finally {
      await limited.stop();
    }
  });

  it("that fails (500): llm_failed with the server's status in a stream's error event; attempts follow OPENAI_MAX_RETRIES", async () => {
    const broken = await startErrorStatusStub(500);
    try {
      const attempts: number[] = [];
      for (const retries of [0, 1]) {
        broken.resetRequests();
        const events = await streamTurn(QUESTION, openAIAgent(broken.baseURL, { OPENAI_MAX_RETRIES: String(retries) }));
        const error = events.find((e) => e.type === "error");
        expect(error).toMatchObject({ type: "error", code: "llm_failed", message: expect.stringContaining("500") });
        expect(error).not.toMatchObject({ message: expect.stringMatching(/Troubleshooting URL|\n/) });
        expect(events.at(-1)).toEqual({ type: "done" });
        // The route step says why routing fell back, with the model's error code.
        expect(events.find((e) => e.type === "step")).toMatchObject({
          step: { route: "knowledge_base_search", reason: expect.stringContaining("llm_failed") },
        });
        attempts.push(broken.requests());
      }
      // Two calls per turn (routing, then the answer): once each, then once more each.
      expect(attempts).toEqual([2, 4]);
    } finally {
      await broken.stop();
    }
  });
});
