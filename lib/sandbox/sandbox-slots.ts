import { AppError } from "@/lib/errors";

/**
 * Process-wide accounting for the JavaScript sandbox: at most `MAX_CONCURRENT` isolates run at
 * once (further calls wait their turn, not on the clock), and counts of the isolates created and
 * still alive, so a leak shows (the tests check that every run disposes its isolate).
 */

const MAX_CONCURRENT = 4;

let liveIsolates = 0;
let createdIsolates = 0;
let running = 0;
const waiting: (() => void)[] = [];

/**
 * Counts for tests and monitoring: isolates alive now and created since start.
 * @internal only tests read it today (knip: not reported in production mode).
 */
export function sandboxStats(): { live: number; created: number; running: number; queued: number } {
  return { live: liveIsolates, created: createdIsolates, running, queued: waiting.length };
}

export function countIsolateCreated(): void {
  liveIsolates++;
  createdIsolates++;
}

export function countIsolateDisposed(): void {
  liveIsolates--;
}

/** Waits for a slot; a caller whose `signal` aborts first leaves the queue and gets `aborted`. */
async function acquireSlot(signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) throw cancelled();
  if (running < MAX_CONCURRENT) {
    running++;
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const grant = () => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    };
    const onAbort = () => {
      const index = waiting.indexOf(grant);
      if (index >= 0) waiting.splice(index, 1);
      reject(cancelled());
    };
    waiting.push(grant);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** What a run_code call whose caller gave up (client gone, turn deadline) rejects with. */
export function cancelled(): AppError {
  return new AppError("aborted", "The code run was cancelled: its caller stopped waiting");
}

function releaseSlot(): void {
  const next = waiting.shift();
  if (next) next();
  else running--;
}

/** Runs `work` once a sandbox slot is free, and frees the slot when it settles. */
export async function withSandboxSlot<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  await acquireSlot(signal);
  try {
    return await work();
  } finally {
    releaseSlot();
  }
}
