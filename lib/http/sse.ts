/**
 * Server-sent events, the subset this app uses: one `data: <json>` line per event,
 * events separated by a blank line. Shared by the route (encode) and the browser (parse),
 * so both ends agree on framing.
 */

export function encodeSseEvent(event: unknown): string {
  return `data: ${JSON.stringify(event)}\n\n`;
}

/** Incremental parser: feed it decoded text as it arrives, get whole events back. */
export class SseParser {
  private buffer = "";

  push(text: string): unknown[] {
    this.buffer += text;
    const events: unknown[] = [];
    let boundary = this.buffer.indexOf("\n\n");
    while (boundary !== -1) {
      const block = this.buffer.slice(0, boundary);
      this.buffer = this.buffer.slice(boundary + 2);
      const data = block
        .split("\n")
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).trimStart())
        .join("\n");
      if (data) events.push(JSON.parse(data) as unknown);
      boundary = this.buffer.indexOf("\n\n");
    }
    return events;
  }
}

/**
 * A `text/event-stream` response fed by an async iterable of events. When the client
 * goes away the iterator is closed (its `finally` blocks run), so a stopped chat stops
 * generating instead of talking to nobody.
 */
export function eventStreamResponse(events: AsyncIterable<unknown>, headers: HeadersInit = {}): Response {
  const encoder = new TextEncoder();
  const iterator = events[Symbol.asyncIterator]();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next: IteratorResult<unknown, unknown> = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(encodeSseEvent(next.value)));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
      ...headers,
    },
  });
}
