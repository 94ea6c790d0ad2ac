import { AppError } from "../errors";

export interface AdmissionLimits {
  /** Turns running at once. */
  maxConcurrent: number;
  /** Turns waiting for a slot; one more is refused at once. */
  maxQueued: number;
  /**
   * A turn whose expected wait for a slot (from recent turns) is longer than this is refused at
   * once, however short the queue; 0: no such bound. Keeps the promised wait as turns get slower.
   */
  maxQueueWaitMs?: number;
  /** How long a turn may wait for a slot before it is refused. */
  queueTimeoutMs: number;
}

/** Hands the slot back; calling it again does nothing. */
export type Release = () => void;

interface Waiter {
  admit: (release: Release) => void;
  timer: NodeJS.Timeout;
  detach: () => void;
}

// Before any turn has finished, a guess at how long one takes (the local model on 2 cores).
const FIRST_GUESS_MS = 5_000;
const DURATIONS_KEPT = 20;

/**
 * Admission control for expensive work (a chat turn): at most `maxConcurrent` run, at most
 * `maxQueued` wait first-in first-out (fewer when recent turns say the wait would pass
 * `maxQueueWaitMs`), and anything beyond is refused at once with `overloaded` (503) and a
 * Retry-After estimated from recent turns, instead of joining an unbounded queue whose last
 * caller waits minutes. A waiter that gives up (client gone) leaves the queue.
 */
export class AdmissionGate {
  private running = 0;
  private readonly waiting: Waiter[] = [];
  private readonly durations: number[] = [];

  constructor(private readonly limits: AdmissionLimits) {}

  get load(): { running: number; queued: number } {
    return { running: this.running, queued: this.waiting.length };
  }

  /** Resolves with a release once the caller may run; rejects with `overloaded` or `aborted`. */
  enter(signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(new AppError("aborted", "The request was aborted"));
    if (this.running < this.limits.maxConcurrent && this.waiting.length === 0) return Promise.resolve(this.start());
    if (this.waiting.length >= this.limits.maxQueued) {
      return Promise.reject(this.overloaded(`the server is busy (${this.running} answering, ${this.waiting.length} waiting)`));
    }
    const maxWaitMs = this.limits.maxQueueWaitMs ?? 0;
    const expectedMs = this.expectedWaitMs();
    if (maxWaitMs > 0 && expectedMs > maxWaitMs) {
      const why = `the server is busy (${this.running} answering, ${this.waiting.length} waiting: about ${Math.round(expectedMs / 1000)} s before a slot frees up)`;
      return Promise.reject(this.overloaded(why));
    }
    return new Promise<Release>((resolve, reject) => {
      const onAbort = () => {
        this.remove(waiter);
        reject(new AppError("aborted", "The request was aborted"));
      };
      const waiter: Waiter = {
        admit: resolve,
        timer: setTimeout(() => {
          this.remove(waiter);
          reject(this.overloaded(`no slot freed up within ${Math.round(this.limits.queueTimeoutMs / 1000)} s`));
        }, this.limits.queueTimeoutMs),
        detach: () => signal?.removeEventListener("abort", onAbort),
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private start(): Release {
    this.running++;
    const started = performance.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      this.durations.push(performance.now() - started);
      if (this.durations.length > DURATIONS_KEPT) this.durations.shift();
      this.next();
    };
  }

  private next(): void {
    while (this.running < this.limits.maxConcurrent) {
      const waiter = this.waiting.shift();
      if (!waiter) return;
      clearTimeout(waiter.timer);
      waiter.detach();
      waiter.admit(this.start());
    }
  }

  private remove(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    waiter.detach();
    const at = this.waiting.indexOf(waiter);
    if (at !== -1) this.waiting.splice(at, 1);
  }

  /**
   * How long a turn arriving now would wait for a slot: the turns ahead of it (those waiting, and
   * one slot's worth running) at the recent turns' mean duration, spread over the slots.
   */
  private expectedWaitMs(): number {
    const typicalMs = this.durations.length ? this.durations.reduce((a, b) => a + b, 0) / this.durations.length : FIRST_GUESS_MS;
    return (typicalMs * (this.waiting.length + 1)) / this.limits.maxConcurrent;
  }

  /** A refusal whose Retry-After is how long the turns ahead should take, from recent turns. */
  private overloaded(why: string): AppError {
    const retryAfterSeconds = Math.max(1, Math.ceil(this.expectedWaitMs() / 1000));
    return new AppError("overloaded", `Too many questions at once: ${why}. Try again in ${retryAfterSeconds} s.`, { retryAfterSeconds });
  }
}
