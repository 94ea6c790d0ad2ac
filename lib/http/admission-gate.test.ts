import { afterEach, describe, expect, it, vi } from "vitest";
import { AppError } from "../errors";
import { AdmissionGate } from "./admission-gate";

const limits = { maxConcurrent: 2, maxQueued: 1, queueTimeoutMs: 1_000 };

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("AdmissionGate", () => {
  afterEach(() => vi.useRealTimers());

  it("runs up to the limit, queues one more, refuses the next at once with a Retry-After", async () => {
    const gate = new AdmissionGate(limits);
    const a = await gate.enter();
    await gate.enter();
    let admitted = false;
    const queued = gate.enter().then((release) => {
      admitted = true;
      return release;
    });
    const refused = await refusal(gate.enter());
    expect(refused.code).toBe("overloaded");
    expect(refused.status).toBe(503);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(gate.load).toEqual({ running: 2, queued: 1 });

    await Promise.resolve();
    expect(admitted).toBe(false);
    a();
    a(); // a second release must not free a second slot
    (await queued)();
    expect(admitted).toBe(true);
    expect(gate.load).toEqual({ running: 1, queued: 0 });
  });

  it("refuses a waiter whose slot does not free up in time", async () => {
    vi.useFakeTimers();
    const gate = new AdmissionGate({ ...limits, maxConcurrent: 1 });
    await gate.enter();
    const waiting = refusal(gate.enter());
    await vi.advanceTimersByTimeAsync(1_001);
    expect((await waiting).code).toBe("overloaded");
    expect(gate.load.queued).toBe(0);
  });

  it("drops a waiter whose client went away, so it never takes a slot", async () => {
    const gate = new AdmissionGate({ ...limits, maxConcurrent: 1 });
    const release = await gate.enter();
    const client = new AbortController();
    const waiting = refusal(gate.enter(client.signal));
    client.abort();
    expect((await waiting).code).toBe("aborted");
    release();
    expect(gate.load).toEqual({ running: 0, queued: 0 });
  });

  it("estimates Retry-After from how long recent turns took", async () => {
    vi.useFakeTimers();
    const gate = new AdmissionGate({ maxConcurrent: 1, maxQueued: 0, queueTimeoutMs: 1_000 });
    const release = await gate.enter();
    vi.advanceTimersByTime(12_000);
    release();
    await gate.enter();
    expect((await refusal(gate.enter())).retryAfterSeconds).toBe(12);
  });
  it("refuses at once a turn expected to wait longer than maxQueueWaitMs, though the queue has room", async () => {
    vi.useFakeTimers();
    const gate = new AdmissionGate({ maxConcurrent: 1, maxQueued: 8, maxQueueWaitMs: 10_000, queueTimeoutMs: 60_000 });
    const first = await gate.enter();
    vi.advanceTimersByTime(4_000); // recent turns take 4 s
    first();
    await gate.enter();
    void gate.enter(); // expected wait 4 s
    void gate.enter(); // 8 s
    const refused = await refusal(gate.enter()); // 12 s > 10 s
    expect(refused.code).toBe("overloaded");
    expect(refused.message).toMatch(/about 12 s before a slot frees up/);
    expect(refused.retryAfterSeconds).toBe(12);
    expect(gate.load).toEqual({ running: 1, queued: 2 });
  });

  it("queues up to maxQueued on the count alone when maxQueueWaitMs is 0", async () => {
    vi.useFakeTimers();
    const gate = new AdmissionGate({ maxConcurrent: 1, maxQueued: 3, maxQueueWaitMs: 0, queueTimeoutMs: 600_000 });
    const first = await gate.enter();
    vi.advanceTimersByTime(100_000);
    first();
    await gate.enter();
    for (let i = 0; i < 3; i++) void gate.enter();
    expect(gate.load).toEqual({ running: 1, queued: 3 });
    expect((await refusal(gate.enter())).code).toBe("overloaded");
  });
});
