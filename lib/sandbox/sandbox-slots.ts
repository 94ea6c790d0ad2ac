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

async function acquireSlot(): Promise<void> {
  if (running < MAX_CONCURRENT) {
    running++;
    return;
  }
  await new Promise<void>((resolve) => waiting.push(resolve));
}

function releaseSlot(): void {
  const next = waiting.shift();
  if (next) next();
  else running--;
}

/** Runs `work` once a sandbox slot is free, and frees the slot when it settles. */
export async function withSandboxSlot<T>(work: () => Promise<T>): Promise<T> {
  await acquireSlot();
  try {
    return await work();
  } finally {
    releaseSlot();
  }
}
