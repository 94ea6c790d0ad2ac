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

/** A comment line: keeps proxies and browsers from closing a quiet stream; parsers skip it. */
export const SSE_HEARTBEAT = ": ping\n\n";

/**
 * A `text/event-stream` response fed by an async iterable of events. When the client
 * goes away the iterator is closed (its `finally` blocks run), so a stopped chat stops
 * generating instead of talking to nobody. While the source is quiet longer than
 * `heartbeatMs` (a long tool call, a queued model), a heartbeat comment goes out instead.
 */
export function eventStreamResponse(
  events: AsyncIterable<unknown>,
  options: { headers?: HeadersInit; heartbeatMs?: number } = {},
): Response {
  const encoder = new TextEncoder();
  const iterator = events[Symbol.asyncIterator]();
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  // The source's next event, kept across heartbeats so none is lost.
  let pending: Promise<IteratorResult<unknown, unknown>> | undefined;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      pending ??= iterator.next();
      let timer: NodeJS.Timeout | undefined;
      const quiet = new Promise<"quiet">((resolve) => {
        timer = setTimeout(() => resolve("quiet"), heartbeatMs);
      });
      const next = await Promise.race([pending, quiet]);
      clearTimeout(timer);
      if (next === "quiet") {
        controller.enqueue(encoder.encode(SSE_HEARTBEAT));
        return;
      }
      pending = undefined;
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
      ...options.headers,
    },
  });
}
