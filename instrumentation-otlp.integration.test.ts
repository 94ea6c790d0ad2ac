import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatResult } from "./agents/contract";
import { PhoenixClient } from "./lib/telemetry/phoenix-client";
import type { PhoenixSpan } from "./lib/telemetry/phoenix-rest-schemas";
import type { RunningPhoenix } from "./lib/telemetry/phoenix-server";
import { startThrowawayPhoenix } from "@/test-support/phoenix/throwaway-phoenix";
import { freePort } from "@/test-support/process/free-port";
import { startProductionServer, type RunningServer } from "@/test-support/server/production-server";

// Vendor-neutral export (issue 18, item 5), end to end: the production build with Phoenix
// (PHOENIX_COLLECTOR_ENDPOINT) and a second, real OTLP receiver (another Phoenix, on
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) that also gets Next.js's own spans. The same trace must
// arrive in both; then the second receiver hangs (accepts, never answers) and chat must not slow.

const root = process.cwd();
const project = `otlp-test-${Date.now()}`;
const workDir = mkdtempSync(path.join(os.tmpdir(), "rag-otlp-"));
let phoenix: RunningPhoenix;
let receiver: RunningPhoenix;
let blackHole: net.Server | undefined;
const held = new Set<net.Socket>();
let server: RunningServer;

beforeAll(async () => {
  [phoenix, receiver] = await Promise.all([startThrowawayPhoenix(root), startThrowawayPhoenix(root)]);
  server = await startProductionServer({
    port: await freePort(),
    env: {
      TRACING: "on",
      PHOENIX_COLLECTOR_ENDPOINT: phoenix.url,
      PHOENIX_PROJECT_NAME: project,
      TRACE_LOG_PATH: path.join(workDir, "traces.sqlite"),
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: receiver.otlpTracesUrl,
      OTLP_EXPORT_NEXTJS_SPANS: "on",
    },
  });
}, 300_000);

afterAll(async () => {
  await server?.stop();
  await Promise.all([phoenix?.stop(), receiver?.stop()]);
  // close() waits for every connection: the held ones never end by themselves.
  for (const socket of held) socket.destroy();
  await new Promise<void>((resolve) => (blackHole ? blackHole.close(() => resolve()) : resolve()));
  rmSync(workDir, { recursive: true, force: true });
});

/** One turn in a new session, timed from request to the whole JSON answer. */
async function chat(): Promise<{ result: ChatResult; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${server.url}/api/chat`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ message: "How many days do I have to return a product?" }),
  });
  expect(response.status, server.output().slice(-2000)).toBe(200);
  const result = (await response.json()) as ChatResult;
  return { result, ms: performance.now() - started };
}

/** The trace's spans once a Phoenix has them all (the root ends last; then the count settles). */
async function traceIn(target: RunningPhoenix, traceId: string): Promise<PhoenixSpan[]> {
  const client = new PhoenixClient({ baseUrl: target.url, timeoutMs: 10_000 });
  let previous = -1;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const spans = await client.allSpans(project, { traceIds: [traceId] }).catch(() => []);
    if (spans.some((s) => s.parent_id === null) && spans.length === previous) return spans;
    previous = spans.length;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  throw new Error(`trace ${traceId} did not arrive at ${target.url}`);
}

const ids = (spans: PhoenixSpan[]) => spans.map((s) => s.context.span_id).sort();
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const isNextjsSpan = (s: PhoenixSpan) => s.attributes["next.span_type"] !== undefined;

describe("traces to Phoenix and to any OTLP backend", () => {
  const upMs: number[] = [];

  it("sends the same trace to both; only the OTLP backend gets Next.js's own spans", async () => {
    for (let i = 0; i < 3; i++) {
      const { result, ms } = await chat();
      upMs.push(ms);
      if (i > 0) continue;
      const [inPhoenix, inReceiver] = await Promise.all([traceIn(phoenix, result.traceId), traceIn(receiver, result.traceId)]);
      expect(inPhoenix.find((s) => s.parent_id === null)).toMatchObject({ name: "chat", span_kind: "AGENT" });
      expect(inPhoenix.length).toBeGreaterThan(5);
      expect(ids(inReceiver)).toEqual(ids(inPhoenix));
    }
    const client = (target: RunningPhoenix) => new PhoenixClient({ baseUrl: target.url, timeoutMs: 10_000 });
    await expect
      .poll(async () => (await client(receiver).allSpans(project)).filter(isNextjsSpan).length, { timeout: 30_000 })
      .toBeGreaterThan(0);
    expect((await client(phoenix).allSpans(project)).filter(isNextjsSpan)).toEqual([]);
  });

  it("keeps chat as fast, and Phoenix fed, with the OTLP backend hanging; one warning", async () => {
    const port = Number(new URL(receiver.url).port);
    await receiver.stop();
    // Worse than a refused connection: the backend accepts and never answers (the export times out).
    blackHole = net.createServer((socket) => {
      held.add(socket);
      socket.on("close", () => held.delete(socket));
    });
    await new Promise<void>((resolve) => blackHole!.listen(port, "127.0.0.1", resolve));

    const downMs: number[] = [];
    let last: ChatResult | undefined;
    for (let i = 0; i < 3; i++) {
      const { result, ms } = await chat();
      downMs.push(ms);
      last = result;
    }
    console.log(`[otlp] chat ms with the backend up: ${upMs.map(Math.round).join(", ")}; hanging: ${downMs.map(Math.round).join(", ")}`);
    // The local model's own spread dominates; blocking on the export would add its 10 s timeout.
    expect(median(downMs)).toBeLessThan(median(upMs) * 1.5 + 1_000);
    expect((await traceIn(phoenix, last!.traceId)).length).toBeGreaterThan(5);
    await expect
      .poll(() => server.output().match(/OTLP traces endpoint at \S+ is not reachable/g)?.length ?? 0, { timeout: 45_000, interval: 1_000 })
      .toBe(1);
    expect(server.output()).not.toMatch(/Phoenix at .* is not reachable/);
  });
});
