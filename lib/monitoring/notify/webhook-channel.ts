import type { WebhookConfig } from "./notify-env";
import { DELIVERY_HEADER, signatureHeaders } from "./webhook-signature";

/**
 * Delivers notification bodies to one webhook, off the caller's path: `send` queues and returns
 * at once; deliveries go out one at a time, in order (a resolved never overtakes its firing).
 * Each attempt has its own timeout; a 5xx, 408, 429, timeout or network error is retried with
 * exponential backoff and full jitter; another 4xx is final (the receiver refuses the body).
 * After `maxConsecutiveFailures` failed deliveries in a row the channel turns itself off until
 * the process restarts, and says so in its status (GET /api/health for the admin).
 */

export interface WebhookStatus {
  /** Scheme, host and port only: a webhook's path often is its secret (Slack). */
  target: string;
  format: "json" | "slack";
  signed: boolean;
  state: "active" | "disabled";
  consecutiveFailures: number;
  maxConsecutiveFailures: number;
  delivered: number;
  failed: number;
  /** Deliveries not attempted: queued past the limit, or sent while disabled. */
  skipped: number;
  pending: number;
  lastError?: string;
  lastDeliveredAt?: string;
  disabledAt?: string;
}

export type DeliveryResult = { ok: true; attempts: number } | { ok: false; attempts: number; error: string; skipped?: boolean };

export interface WebhookDeps {
  fetch?: typeof fetch;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  warn?: (message: string) => void;
}

/** More than this many waiting deliveries means the receiver is far behind: the oldest are dropped. */
const MAX_PENDING = 100;
const MAX_BACKOFF_MS = 60_000;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

type AttemptOutcome = { ok: true } | { ok: false; retry: boolean; error: string };

export class WebhookChannel {
  private readonly queue: { id: string; body: string; settle: (result: DeliveryResult) => void }[] = [];
  private draining = false;
  private readonly stats = { consecutiveFailures: 0, delivered: 0, failed: 0, skipped: 0 };
  private lastError?: string;
  private lastDeliveredAt?: number;
  private disabledAt?: number;
  private readonly fetch: typeof fetch;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly warn: (message: string) => void;

  constructor(
    private readonly config: WebhookConfig,
    deps: WebhookDeps = {},
  ) {
    this.fetch = deps.fetch ?? fetch;
    this.random = deps.random ?? Math.random;
    this.sleep = deps.sleep ?? defaultSleep;
    this.now = deps.now ?? Date.now;
    this.warn = deps.warn ?? ((message) => console.warn(message));
  }

  /** Queues a delivery; the promise settles when it is delivered or given up (never rejects). */
  send(id: string, body: string): Promise<DeliveryResult> {
    if (this.disabledAt !== undefined) {
      this.stats.skipped++;
      return Promise.resolve({ ok: false, attempts: 0, error: "webhook disabled", skipped: true });
    }
    const result = new Promise<DeliveryResult>((settle) => this.queue.push({ id, body, settle }));
    if (this.queue.length > MAX_PENDING) {
      this.stats.skipped++;
      this.queue.shift()?.settle({ ok: false, attempts: 0, error: "dropped: too many deliveries waiting", skipped: true });
    }
    if (!this.draining) void this.drain();
    return result;
  }

  status(): WebhookStatus {
    const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
    const lastDeliveredAt = iso(this.lastDeliveredAt);
    const disabledAt = iso(this.disabledAt);
    return {
      target: new URL(this.config.url).origin,
      format: this.config.format,
      signed: this.config.secret !== undefined,
      state: this.disabledAt === undefined ? "active" : "disabled",
      ...this.stats,
      maxConsecutiveFailures: this.config.maxConsecutiveFailures,
      pending: this.queue.length,
      ...(this.lastError ? { lastError: this.lastError } : {}),
      ...(lastDeliveredAt ? { lastDeliveredAt } : {}),
      ...(disabledAt ? { disabledAt } : {}),
    };
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        next.settle(this.disabledAt === undefined ? await this.deliver(next.id, next.body) : this.skip());
      }
    } finally {
      this.draining = false;
    }
  }

  private skip(): DeliveryResult {
    this.stats.skipped++;
    return { ok: false, attempts: 0, error: "webhook disabled", skipped: true };
  }

  private async deliver(id: string, body: string): Promise<DeliveryResult> {
    let error = "no attempt";
    for (let attempt = 0; attempt <= this.config.retries; attempt++) {
      if (attempt > 0) await this.sleep(this.backoffMs(attempt));
      const outcome = await this.attempt(id, body);
      if (outcome.ok) {
        this.stats.delivered++;
        this.stats.consecutiveFailures = 0;
        this.lastDeliveredAt = this.now();
        return { ok: true, attempts: attempt + 1 };
      }
      error = outcome.error;
      if (!outcome.retry) return this.failed(error, attempt + 1);
    }
    return this.failed(error, this.config.retries + 1);
  }

  /** Full jitter (AWS's "Exponential Backoff And Jitter"): spreads retries of many senders apart. */
  private backoffMs(attempt: number): number {
    return Math.round(this.random() * Math.min(MAX_BACKOFF_MS, this.config.backoffMs * 2 ** (attempt - 1)));
  }

  private async attempt(id: string, body: string): Promise<AttemptOutcome> {
    const headers = {
      "content-type": "application/json",
      "user-agent": "rag-agent-alerts/1",
      [DELIVERY_HEADER]: id,
      ...signatureHeaders(this.config.secret, body, this.now()),
    };
    try {
      const response = await this.fetch(this.config.url, {
        method: "POST",
        headers,
        body,
        signal: AbortSignal.timeout(this.config.timeoutMs),
        redirect: "error",
      });
      await response.body?.cancel().catch(() => undefined);
      if (response.ok) return { ok: true };
      const retry = response.status >= 500 || response.status === 408 || response.status === 429;
      return { ok: false, retry, error: `HTTP ${response.status}` };
    } catch (error) {
      const timedOut = error instanceof Error && error.name === "TimeoutError";
      const message = timedOut ? `no answer within ${this.config.timeoutMs} ms` : error instanceof Error ? error.message : String(error);
      return { ok: false, retry: true, error: message };
    }
  }

  private failed(error: string, attempts: number): DeliveryResult {
    this.stats.failed++;
    this.stats.consecutiveFailures++;
    this.lastError = error;
    if (this.stats.consecutiveFailures >= this.config.maxConsecutiveFailures && this.disabledAt === undefined) {
      this.disabledAt = this.now();
      this.warn(
        `[alerts] webhook ${new URL(this.config.url).origin} disabled after ${this.stats.consecutiveFailures} failed deliveries in a row (last: ${error}); restart the server to turn it on again`,
      );
    }
    return { ok: false, attempts, error };
  }
}
