import { describe, expect, it } from "vitest";
import { encodeSseEvent, eventStreamResponse, readSseEvents, SseParser } from "./sse";

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
      yield { n: 1 };
      yield { n: 2 };
    }
    const response = eventStreamResponse(source());
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const seen: unknown[] = [];
    for await (const event of readSseEvents(response.body!)) seen.push(event);
    expect(seen).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it("closes the source when the client cancels", async () => {
    let closed = false;
    async function* source() {
      try {
        for (let n = 0; ; n++) yield { n };
      } finally {
        closed = true;
      }
    }
    const reader = eventStreamResponse(source()).body!.getReader();
    await reader.read();
    await reader.cancel();
    expect(closed).toBe(true);
  });
});
