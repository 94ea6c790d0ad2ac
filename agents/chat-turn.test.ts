import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { streamChatEvents } from "./chat-stream";
import { releaseWhenDone, runChatTurn } from "./chat-turn";
import type { AgentDeps } from "./graph/types";
import { collect } from "@/test-support/async/collect";

// The whole-turn deadline ends a turn that does not finish, even when what it waits for
// (here: the agent's dependencies, which never load) ignores the abort; and an admission slot
// is handed back however a stream ends.

const never = () => new Promise<AgentDeps>(() => undefined);

describe("the whole-turn deadline", () => {
  it("fails a JSON turn with turn_deadline (504) at the deadline", async () => {
    const started = performance.now();
    const error: unknown = await runChatTurn({ message: "hi" }, never, { deadlineMs: 150 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "turn_deadline", status: 504 });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it("ends a stream with a turn_deadline error event and done", async () => {
    const events = await collect(streamChatEvents({ message: "hi" }, never, undefined, 150));
    expect(events).toEqual([
      { type: "error", code: "turn_deadline", message: expect.stringContaining("No answer within") as string },
      { type: "done" },
    ]);
  });
});

describe("releaseWhenDone", () => {
  async function* three() {
    yield* [1, 2, 3];
  }

  it("releases once when the events end, and once when the consumer leaves early", async () => {
    let releases = 0;
    for await (const n of releaseWhenDone(three(), () => releases++)) expect(n).toBeGreaterThan(0);
    expect(releases).toBe(1);
    for await (const n of releaseWhenDone(three(), () => releases++)) if (n === 1) break;
    expect(releases).toBe(2);
  });

  it("releases when the client goes away before the stream was ever read", () => {
    let releases = 0;
    const client = new AbortController();
    releaseWhenDone(three(), () => releases++, client.signal);
    client.abort();
    expect(releases).toBe(1);
  });
});
