import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTrafficClient } from "./client";

// The client against a stand-in HTTP server that answers like the app's routes (the real app
// is in traffic.integration.test.ts): what is sent, and how every kind of failure comes back.

const requests: { method: string; url: string; accept?: string; contentType?: string; body: string }[] = [];
let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      requests.push({
        method: req.method ?? "",
        url: req.url ?? "",
        accept: req.headers.accept,
        contentType: req.headers["content-type"],
        body,
      });
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(value));
      };
      if (req.url === "/api/health")
        return json(200, { ready: true, provider: "local", missing: [], tracing: { enabled: true, log: "/tmp/t.sqlite" } });
      if (req.url === "/api/feedback")
        return (JSON.parse(body) as { traceId: string }).traceId === "0".repeat(32)
          ? json(404, { error: { code: "trace_not_found", message: "No trace" } })
          : json(201, { feedback: {}, phoenix: "off" });
      const { message, sessionId } = JSON.parse(body) as { message: string; sessionId: string };
      if (message === "slow") return void setTimeout(() => json(200, {}), 1_000);
      if (message === "html") {
        res.writeHead(502, { "content-type": "text/html" });
        return res.end("<html>Bad gateway</html>");
      }
      if (message === "odd") return json(200, { hello: "world" });
      if (message.length > 4000) return json(400, { error: { code: "invalid_body", message: "message must be at most 4000 characters" } });
      json(200, {
        answer: "45 days.",
        sources: [{ id: "returns-policy#0" }],
        steps: [
          { type: "route", route: "knowledge_base_search", reason: "", candidates: [] },
          { type: "tool_start", tool: "knowledge_base_search", input: {} },
        ],
        traceId: "a".repeat(32),
        sessionId,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("createTrafficClient", () => {
  const client = () => createTrafficClient({ baseUrl: `${url}/`, timeoutMs: 500 });

  it("reads health", async () => {
    expect(await client().health()).toEqual({
      reachable: true,
      status: 200,
      ready: true,
      missing: [],
      tracing: { enabled: true, log: "/tmp/t.sqlite" },
    });
  });

  it("posts a chat message in JSON mode under the session id and reads the route from the steps", async () => {
    const reply = await client().chat("How long can I return a robot?", "traffic-x-1-r");
    expect(reply).toEqual({
      ok: true,
      value: { answer: "45 days.", traceId: "a".repeat(32), sessionId: "traffic-x-1-r", route: "knowledge_base_search", sources: 1 },
    });
    const sent = requests.find((r) => r.url === "/api/chat")!;
    expect(sent).toMatchObject({ method: "POST", accept: "application/json", contentType: "application/json" });
    expect(JSON.parse(sent.body)).toEqual({ message: "How long can I return a robot?", sessionId: "traffic-x-1-r" });
  });

  it("turns every failure into a code: the app's own, http_<status>, bad_response, timeout", async () => {
    expect(await client().chat("x".repeat(4001), "s")).toEqual({
      ok: false,
      error: { code: "invalid_body", status: 400, message: "message must be at most 4000 characters" },
    });
    expect(await client().chat("html", "s")).toMatchObject({ ok: false, error: { code: "http_502", status: 502 } });
    expect(await client().chat("odd", "s")).toMatchObject({ ok: false, error: { code: "bad_response" } });
    expect(await client().chat("slow", "s")).toMatchObject({ ok: false, error: { code: "timeout" } });
  });

  it("sends feedback and reports a 404 by its code", async () => {
    expect(await client().feedback("b".repeat(32), 0, "wrong")).toEqual({ ok: true, value: undefined });
    expect(JSON.parse(requests.filter((r) => r.url === "/api/feedback").at(-1)!.body)).toEqual({
      traceId: "b".repeat(32),
      score: 0,
      comment: "wrong",
    });
    expect(await client().feedback("0".repeat(32), 1)).toMatchObject({ ok: false, error: { code: "trace_not_found", status: 404 } });
    expect(JSON.parse(requests.filter((r) => r.url === "/api/feedback").at(-1)!.body)).toEqual({ traceId: "0".repeat(32), score: 1 });
  });
});
