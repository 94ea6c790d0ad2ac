import { afterEach, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors";
import { streamChatEvents } from "./chat-stream";
import { collect } from "@/test-support/async/collect";

// The stream's error event is what the browser shows: a code and a message a user can act on,
// never an internal error's text or the machine's folders. (The stream over the real agent is
// in chat-stream.integration.test.ts.)

describe("streamChatEvents' error event", () => {
  afterEach(() => vi.restoreAllMocks());

  it("says only 'Internal error' for an unexpected failure, and logs the detail on the server", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const events = await collect(
      streamChatEvents({ message: "hi" }, () => Promise.reject(new Error("EACCES: permission denied, open '/srv/app/.data/x'"))),
    );
    expect(events).toEqual([{ type: "error", code: "internal", message: "Internal error" }, { type: "done" }]);
    expect(logged).toHaveBeenCalledOnce();
  });

  it("keeps an actionable message, with paths inside the app made relative", async () => {
    const fail = new AppError("index_missing", `No index at ${process.cwd()}/.data/index: run \`npm run ingest\``);
    const events = await collect(streamChatEvents({ message: "hi" }, () => Promise.reject(fail)));
    expect(events[0]).toEqual({ type: "error", code: "index_missing", message: "No index at .data/index: run `npm run ingest`" });
  });
});
