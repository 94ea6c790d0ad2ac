import http from "node:http";
import { mapPool } from "@/evals/map-pool";
import { chatTurn, getHealth, outcomeKey } from "../client";
import type { ChaosContext, ChaosServer } from "../context";
import type { Scenario } from "../scenario";
import { countBy, formatCounts, formatMs } from "../tally";
import { discoverApiRoutes, fuzzCases, type FuzzCase } from "./fuzz-cases";

// Every case is refused before any model work, so several can run at once.
const CONCURRENCY = 8;
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * Odd but valid questions that do reach the agent: the stream is cut once the route is chosen
 * (the router has embedded the text, maybe asked the model). Not a 4,000-character one: on 2
 * cores the router's model call alone takes about 90 s for that.
 */
const VALID_ODD_MESSAGES = [
  "🧨💥 how long do I have to return a product? 🔥🔥",
  "\u202e?tcudorp a nruter ot evah I od gnol woH",
  "zero\u200bwidth\u200d question about \ufeffreturns",
  "lone surrogate \ud800 in a question about shipping",
  "nul \u0000 and bell \u0007 in a question",
  "中文问题：退货政策是什么？",
  "𝕮𝖍𝖆𝖔𝖘 𝔪𝔞𝔱𝔥: what is ∑ 1..10?",
  "e\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301 combining marks",
  "é ü ß ø ".repeat(50),
  "'; DROP TABLE spans; -- what were Q3 sales?",
  "{{7*7}} ${7*7} <script>alert(1)</script>",
  "\r\n\r\nHTTP/1.1 200 OK\r\n\r\nhello",
];

/** One raw request: the status, or `timeout` / `reset` when no response came. */
function send(server: ChaosServer, c: FuzzCase): Promise<{ outcome: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: string) => {
      if (settled) return;
      settled = true;
      resolve({ outcome, ms: performance.now() - started });
    };
    const { port } = new URL(server.url);
    try {
      // A connection of its own: a request the server rejects at the parser must not poison the next one's.
      const request = http.request({
        host: "127.0.0.1",
        port,
        method: c.method,
        path: c.path,
        headers: c.headers,
        agent: false,
        timeout: REQUEST_TIMEOUT_MS,
      });
      request.on("response", (response) => {
        response.resume();
        response.on("end", () => finish(String(response.statusCode)));
        response.on("error", () => finish(String(response.statusCode)));
      });
      request.on("timeout", () => {
        request.destroy();
        finish("timeout");
      });
      // A server that answers before reading a huge body may close the socket under the upload: the response already counts.
      request.on("error", () => setTimeout(() => finish("reset"), 50));
      request.end(c.body);
    } catch (error) {
      finish(`client refused: ${error instanceof Error ? error.message.slice(0, 60) : String(error)}`);
    }
  });
}

/** The valid odd questions, one at a time, each cut after the route step. */
async function validOddTurns(ctx: ChaosContext, server: ChaosServer, signal: AbortSignal): Promise<string[]> {
  const outcomes: string[] = [];
  for (const message of VALID_ODD_MESSAGES.slice(0, ctx.options.sizes.fuzzValidQuestions)) {
    if (signal.aborted) break;
    const controller = new AbortController();
    const turn = await chatTurn(server.url, message, undefined, "stream", {
      timeoutMs: ctx.turnTimeoutMs,
      signal: AbortSignal.any([controller.signal, signal]),
      onEvent: (event) => {
        if (event.type === "step") controller.abort();
      },
    });
    outcomes.push(
      turn.errorCode ? `error event ${turn.errorCode}` : turn.aborted ? String(turn.status ?? "no response") : outcomeKey(turn),
    );
  }
  return outcomes;
}

/**
 * Hostile requests over every API route (malformed JSON, wrong types, huge bodies, odd methods,
 * bad headers, unicode) and a few odd but valid questions that reach the agent: every answer
 * must be a status below 500, none may hang, and the server must be healthy afterwards.
 */
export const fuzzScenario: Scenario = {
  name: "fuzz",
  describe: (ctx) =>
    `${ctx.options.sizes.fuzzRequests} fuzzed requests over ${discoverApiRoutes().length} API routes, ${ctx.options.sizes.fuzzValidQuestions} odd valid questions`,
  boundMs: (ctx) =>
    (ctx.options.sizes.fuzzRequests / CONCURRENCY) * REQUEST_TIMEOUT_MS + ctx.options.sizes.fuzzValidQuestions * ctx.turnTimeoutMs,
  async run(ctx, signal) {
    const server = await ctx.standardServer();
    const routes = discoverApiRoutes();
    const cases = fuzzCases(routes, ctx.options.sizes.fuzzRequests, ctx.options.seed, ctx.adminToken);
    const outcomes = await mapPool(cases, CONCURRENCY, (c) => send(server, c), { stopped: () => signal.aborted });
    const sent = cases.flatMap((c, i) => (outcomes[i] === undefined ? [] : [{ c, ...outcomes[i] }]));
    const slowest = [...sent].sort((a, b) => b.ms - a.ms).slice(0, 5);
    const valid = await validOddTurns(ctx, server, signal);
    const health = await getHealth(server.url);
    const statuses = countBy(sent.map((s) => s.outcome));
    const byRoute = Object.fromEntries(
      routes.map((r) => [r.path, countBy(sent.filter((s) => s.c.route === r.path).map((s) => s.outcome))]),
    );
    const bad = sent.filter((s) => !/^[1-4]\d\d$/.test(s.outcome));
    const failures: string[] = [];
    if (bad.length > 0) {
      const examples = bad.slice(0, 5).map((s) => `${s.c.method} ${s.c.path.slice(0, 60)} (${s.c.kind}) -> ${s.outcome}`);
      failures.push(`${bad.length} request(s) got a 5xx or no answer, e.g. ${examples.join("; ")}`);
    }
    const badValid = valid.filter((outcome) => outcome !== "200");
    if (badValid.length > 0) failures.push(`odd valid questions: ${formatCounts(countBy(badValid))}`);
    if (health.status !== 200) failures.push(`GET /api/health answered ${health.status} afterwards`);
    return {
      figures: {
        requests: sent.length,
        statuses,
        byRoute,
        kinds: countBy(sent.map((s) => s.c.kind)),
        validOddQuestions: countBy(valid),
        healthAfter: health.status,
        slowest: slowest.map((s) => `${s.c.method} ${s.c.path.slice(0, 40)} (${s.c.kind}) -> ${s.outcome} in ${formatMs(s.ms)}`),
      },
      lines: [
        `${sent.length} requests over ${routes.map((r) => r.path).join(", ")}`,
        `statuses ${formatCounts(statuses)}`,
        `odd valid questions: ${formatCounts(countBy(valid))}; health afterwards ${health.status}`,
      ],
      failures,
    };
  },
};
