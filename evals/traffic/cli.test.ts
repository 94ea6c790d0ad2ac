import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import type { ChatReply, Health, Outcome, TrafficClient } from "./client";
import { parseTrafficArgs, runTrafficCli, type TrafficIo } from "./cli";

// The CLI end to end with a stand-in client (the real HTTP protocol is played against the
// production server in traffic.integration.test.ts), plus the real client against a closed port.

interface FakeOptions {
  health?: Health;
  chat?: (message: string, sessionId: string) => Outcome<ChatReply>;
}

function fakeClient(options: FakeOptions = {}) {
  const calls = {
    /** `sent`: the session id the client sent; `sessionId`: the one the stand-in server used (it issues one when none is sent). */
    chat: [] as { message: string; sent: string | undefined; sessionId: string }[],
    feedback: [] as { traceId: string; score: 0 | 1; comment?: string }[],
  };
  let n = 0;
  let issued = 0;
  const client: TrafficClient = {
    baseUrl: "http://fake",
    health: async () =>
      options.health ?? { reachable: true, status: 200, ready: true, missing: [], tracing: { enabled: true, log: "/tmp/x.sqlite" } },
    chat: async (message, sent) => {
      const sessionId = sent ?? `srv-${++issued}`;
      calls.chat.push({ message, sent, sessionId });
      const traceId = (++n).toString(16).padStart(32, "0");
      return (
        options.chat?.(message, sessionId) ?? {
          ok: true,
          value: { answer: "I don't know.", traceId, sessionId, route: "knowledge_base_search", sources: 0 },
        }
      );
    },
    feedback: async (traceId, score, comment) => {
      calls.feedback.push({ traceId, score, ...(comment ? { comment } : {}) });
      return { ok: true, value: undefined };
    },
  };
  return { client, calls };
}

function io(client?: TrafficClient) {
  const out: string[] = [];
  const err: string[] = [];
  const value: TrafficIo = {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    progress: false,
    ...(client ? { client: () => client } : {}),
  };
  return { io: value, out, err, text: () => out.join("\n"), errors: () => err.join("\n") };
}

describe("parseTrafficArgs", () => {
  it("has the documented defaults and reads every flag", () => {
    expect(parseTrafficArgs([])).toMatchObject({ url: "http://localhost:3000", seed: 42, concurrency: 1, dryRun: false });
    expect(
      parseTrafficArgs([
        "--url",
        "http://127.0.0.1:4000",
        "--sessions",
        "3",
        "--seed=7",
        "--concurrency",
        "2",
        "--feedback-rate",
        "0.25",
        "--timeout-ms",
        "500",
        "--dry-run",
      ]),
    ).toMatchObject({
      url: "http://127.0.0.1:4000",
      sessions: 3,
      seed: 7,
      concurrency: 2,
      feedbackRate: 0.25,
      timeoutMs: 500,
      dryRun: true,
    });
  });

  it("rejects bad values with the flag's name", () => {
    expect(() => parseTrafficArgs(["--sessions", "0"])).toThrow("--sessions: expected an integer >= 1");
    expect(() => parseTrafficArgs(["--feedback-rate", "2"])).toThrow("--feedback-rate");
    expect(() => parseTrafficArgs(["--url", "ftp://x"])).toThrow("--url");
    expect(() => parseTrafficArgs(["--seed"])).toThrow("--seed");
    expect(() => parseTrafficArgs(["--seed", ""])).toThrow("--seed: expected an integer >= 0");
    expect(() => parseTrafficArgs(["--bogus"])).toThrow("--bogus");
    expect(() => parseTrafficArgs(["stray"])).toThrow("stray");
  });
});

describe("runTrafficCli", () => {
  it("--dry-run prints the plan and contacts nothing", async () => {
    const { client, calls } = fakeClient();
    const t = io(client);
    expect(await runTrafficCli(["--dry-run", "--sessions", "2", "--run-id", "r1"], t.io)).toBe(0);
    expect(t.text()).toMatch(/^Plan: 2 of \d+ sessions/);
    expect(t.text()).toContain("-r1");
    expect(calls.chat).toHaveLength(0);
  });

  it("exits 2 with a clear message when the app is not reachable", async () => {
    // A port that was free a moment ago: nothing listens there.
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const t = io();
    expect(await runTrafficCli(["--url", `http://127.0.0.1:${port}`, "--sessions", "1", "--timeout-ms", "2000"], t.io)).toBe(2);
    expect(t.errors()).toContain(`not reachable at http://127.0.0.1:${port} (unreachable`);
    expect(t.errors()).toContain("`npm start`");
  });

  it("exits 2 when the app is up but not ready, naming what is missing", async () => {
    const { client, calls } = fakeClient({
      health: { reachable: true, status: 503, ready: false, missing: ["index: run `npm run ingest`"] },
    });
    const t = io(client);
    expect(await runTrafficCli(["--sessions", "1"], t.io)).toBe(2);
    expect(t.errors()).toContain("up but not ready: index: run `npm run ingest`");
    expect(t.errors()).toContain("`npm start`");
    expect(calls.chat).toHaveLength(0);
  });

  it("plays sessions turn by turn under one session id each, rates answers and summarizes", async () => {
    const { client, calls } = fakeClient();
    const t = io(client);
    expect(await runTrafficCli(["--sessions", "3", "--run-id", "r2", "--feedback-rate", "1"], t.io)).toBe(0);
    // Each session starts without an id and then sends the one the server issued.
    const sessionIds = [...new Set(calls.chat.map((c) => c.sessionId))];
    expect(sessionIds).toHaveLength(3);
    for (const id of sessionIds) {
      const turns = calls.chat.filter((c) => c.sessionId === id);
      expect(turns.map((c) => c.sent)).toEqual([undefined, ...Array<string>(turns.length - 1).fill(id)]);
    }
    const summary = t.text();
    expect(summary).toContain("sessions          3");
    expect(summary).toContain(`traces produced   ${calls.chat.length}`);
    expect(summary).toMatch(/by route {10}knowledge_base_search \d+/);
    // Every answer with an expectation was rated (rate 1); "I don't know." misses most of them.
    expect(calls.feedback.length).toBeGreaterThan(0);
    expect(summary).toMatch(/feedback sent {5}👍 \d+ {2}👎 \d+/);
  });

  it("is deterministic: the same seed sends the same messages and the same feedback", async () => {
    const run = async () => {
      const { client, calls } = fakeClient();
      await runTrafficCli(["--sessions", "6", "--seed", "9", "--run-id", "same", "--concurrency", "3"], io(client).io);
      const byTrace = new Map(calls.feedback.map((f) => [f.traceId, f]));
      // Trace and session ids depend on the interleaving; compare by message instead.
      return calls.chat
        .map((c, i) => {
          const f = byTrace.get((i + 1).toString(16).padStart(32, "0"));
          return `${c.message} -> ${f ? `${f.score} ${f.comment ?? ""}` : "not rated"}`;
        })
        .sort();
    };
    const first = await run();
    expect(first.some((line) => line.endsWith("not rated"))).toBe(true);
    expect(first.some((line) => !line.endsWith("not rated"))).toBe(true);
    expect(await run()).toEqual(first);
  });

  it("records failed requests per code without stopping, and exits 1 only when all fail", async () => {
    let i = 0;
    const flaky = fakeClient({
      chat: (message, sessionId) =>
        ++i % 2 === 0
          ? { ok: false, error: { code: "timeout", message: "no answer" } }
          : { ok: true, value: { answer: "ok", traceId: i.toString(16).padStart(32, "0"), sessionId, route: "calculator", sources: 0 } },
    });
    const t1 = io(flaky.client);
    expect(await runTrafficCli(["--sessions", "4"], t1.io)).toBe(0);
    expect(t1.text()).toMatch(/chat errors {7}timeout \d+/);
    expect(flaky.calls.chat.length).toBe(Number(/turns {13}(\d+)/.exec(t1.text())![1]));

    const down = fakeClient({ chat: () => ({ ok: false, error: { code: "model_missing", status: 503, message: "run npm run models" } }) });
    const t2 = io(down.client);
    expect(await runTrafficCli(["--sessions", "2"], t2.io)).toBe(1);
    expect(t2.text()).toContain("chat errors       model_missing");
    expect(t2.errors()).toContain("every chat request failed");
  });

  it("stops starting turns once aborted", async () => {
    const controller = new AbortController();
    const { client, calls } = fakeClient({
      chat: (message, sessionId) => {
        controller.abort();
        return { ok: true, value: { answer: "x", traceId: "f".repeat(32), sessionId, sources: 0 } };
      },
    });
    const t = io(client);
    expect(await runTrafficCli(["--sessions", "5"], { ...t.io, signal: controller.signal })).toBe(0);
    expect(calls.chat).toHaveLength(1);
    expect(t.text()).toContain("stopped early; 1 of");
  });
});

describe("--inject", () => {
  it("collects the faults (repeated or comma-joined) and needs the server's token", () => {
    const args = parseTrafficArgs(["--inject", "latency=2x", "--inject", "errors=10%,retrieval=shuffle", "--fault-token", "tok"]);
    expect(args.inject).toEqual({ faults: { latencyFactor: 2, errorRate: 0.1, retrievalShuffle: true }, token: "tok" });
    expect(() => parseTrafficArgs(["--inject", "latency=2x"])).toThrow(/--fault-token/);
    expect(() => parseTrafficArgs(["--inject", "latency=slow", "--fault-token", "tok"])).toThrow(/latency=<n>x/);
  });

  it("sends the faults and the token with every chat request", async () => {
    // The real client against a real server on 127.0.0.1: the headers are what the app reads.
    const seen: (string | undefined)[][] = [];
    const server = http.createServer((request, response) => {
      if (request.url === "/api/health") return void response.end(JSON.stringify({ ready: true, missing: [] }));
      seen.push([request.headers["x-fault-inject"] as string | undefined, request.headers["x-fault-token"] as string | undefined]);
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ answer: "ok", traceId: "0".repeat(32), sessionId: "s1", sources: [], steps: [] }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const { io: value, text } = io();
      const code = await runTrafficCli(
        ["--url", url, "--sessions", "1", "--feedback-rate", "0", "--inject", "cost=prompt-bloat", "--fault-token", "tok"],
        value,
      );
      expect(code).toBe(0);
      expect(text()).toMatch(/injecting cost=prompt-bloat/);
      expect(seen.length).toBeGreaterThan(0);
      expect(new Set(seen.map((h) => h.join("|")))).toEqual(new Set(["cost=prompt-bloat|tok"]));
    } finally {
      server.close();
    }
  });
});
