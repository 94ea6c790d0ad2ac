import { describe, expect, it } from "vitest";
import { encodeSseEvent, eventStreamResponse, SSE_HEARTBEAT, SseParser } from "./sse";

/** Reads a response body into events the way the browser client does (app/_components/use-chat.ts). */
async function readEvents(body: ReadableStream<Uint8Array>): Promise<unknown[]> {
  const parser = new SseParser();
  const decoder = new TextDecoder();
  const reader = body.getReader();
  const events: unknown[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    events.push(...parser.push(decoder.decode(value, { stream: true })));
  }
  return events;
}

describe("SSE framing", () => {
  it("round-trips events split at arbitrary byte boundaries", () => {
    const events = [{ type: "token", text: "a\nb" }, { type: "done" }];
    const wire = events.map(encodeSseEvent).join("");
    for (let cut = 1; cut < wire.length; cut += 7) {
      const parser = new SseParser();
      const out = [...parser.push(wire.slice(0, cut)), ...parser.push(wire.slice(cut))];
      expect(out).toEqual(events);
    }
  });

  it("streams an async iterable as a text/event-stream response", async () => {
    async function* source() {
      for (const n of [1, 2]) yield await Promise.resolve({ n });
    }
    const response = eventStreamResponse(source());
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(await readEvents(response.body!)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it("closes the source when the client cancels", async () => {
    let closed = false;
    async function* source() {
      try {
        for (let n = 0; ; n++) yield await Promise.resolve({ n });
      } finally {
        closed = true;
      }
    }
    const reader = eventStreamResponse(source()).body!.getReader();
    await reader.read();
    await reader.cancel();
    expect(closed).toBe(true);
  });

  it("sends heartbeats while the source is quiet, losing no event, and the parser skips them", async () => {
    async function* source() {
      yield { n: 1 };
      await new Promise((resolve) => setTimeout(resolve, 200));
      yield { n: 2 };
    }
    const [raw, parsed] = eventStreamResponse(source(), { heartbeatMs: 40 }).body!.tee();
    const text = await new Response(raw).text();
    expect(text.split(SSE_HEARTBEAT).length - 1).toBeGreaterThanOrEqual(2);
    expect(text.indexOf(SSE_HEARTBEAT)).toBeGreaterThan(text.indexOf('{"n":1}'));
    expect(await readEvents(parsed)).toEqual([{ n: 1 }, { n: 2 }]);
  });
});
