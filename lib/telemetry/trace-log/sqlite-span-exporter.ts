import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace-base";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import type { ExportStats } from "../guarded-exporter";
import { parseInput } from "./trace-log-records";
import type { PruneBatch, PruneLimits } from "./trace-log-pruning";
import type { TraceStore } from "./trace-store";

/**
 * An OpenTelemetry exporter that writes finished spans into the app's trace log. Meant
 * to sit behind a `BatchSpanProcessor` with a short delay (the caller sets that up), so
 * each batch is one transaction off the request path. Writes to the SQLite file are
 * synchronous (nothing buffered here to flush); writes to PostgreSQL (DATABASE_URL) are
 * async: the batch's callback waits for its write, and `forceFlush` for every write under way.
 *
 * Tracing must never take the app down: `export` reports failures through its
 * callback and never throws, and a failed prune is reported but does not fail the
 * batch that triggered it.
 *
 * The exporter does not own the log: `shutdown` stops exporting but leaves the log
 * open for whoever else reads it (feedback, curation); its owner closes it.
 */

export const DEFAULT_PRUNE_INTERVAL_MS = 60 * 60 * 1000;

const optionsSchema = z.strictObject({
  /** Traces whose root started more than this many days ago are deleted; 0 keeps all. */
  retentionDays: z.number().min(0, "must be 0 (keep forever) or a positive number of days"),
  /** While the log's pages take more than this, its oldest traces are deleted; 0: no cap. */
  maxBytes: z.number().int().min(0, "must be 0 (no cap) or a positive number of bytes").default(0),
  /** Least time between two prunes. */
  pruneIntervalMs: z.number().int().positive().default(DEFAULT_PRUNE_INTERVAL_MS),
});

export interface SqliteSpanExporterOptions {
  retentionDays: number;
  maxBytes?: number;
  pruneIntervalMs?: number;
  /** Where prune failures go; defaults to a console warning. */
  onPruneError?: (error: AppError) => void;
  /** Where a write outage is told, once when it starts and once when it ends; defaults to the console. */
  onOutage?: (message: string) => void;
  /** Clock, for tests. */
  now?: () => number;
}

export class SqliteSpanExporter implements SpanExporter {
  private readonly limits: PruneLimits;
  private readonly pruneIntervalMs: number;
  private pruning = false;
  private readonly onPruneError: (error: AppError) => void;
  private readonly now: () => number;
  private readonly onOutage: (message: string) => void;
  private lastPruneAtMs: number | undefined;
  private isShutdown = false;
  private readonly counts: ExportStats = { exported: 0, dropped: 0 };
  private failedBatches = 0;
  private readonly writing = new Set<Promise<void>>();

  /** Prunes once right away (startup), then at most once per `pruneIntervalMs`. */
  constructor(
    private readonly log: Pick<TraceStore, "writeSpans" | "pruneBatch">,
    options: SqliteSpanExporterOptions,
  ) {
    const { retentionDays, maxBytes, pruneIntervalMs } = parseInput(
      optionsSchema,
      { retentionDays: options.retentionDays, maxBytes: options.maxBytes, pruneIntervalMs: options.pruneIntervalMs },
      "config_invalid",
    );
    this.limits = { retentionDays, maxBytes };
    this.pruneIntervalMs = pruneIntervalMs;
    this.onPruneError = options.onPruneError ?? warnPruneFailed;
    this.onOutage = options.onOutage ?? ((message) => console.warn(`[trace-log] ${message}`));
    this.now = options.now ?? Date.now;
    // Start-up is no request's path: the first batch runs now, while the log is surely open.
    this.pruneIfDue("now");
  }

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    // Computed first and reported outside any try, so a throwing callback is never
    // mistaken for a failed write (nor called twice).
    const result = this.write(spans);
    if (!(result instanceof Promise)) {
      this.count(spans.length, result);
      resultCallback(result);
      return;
    }
    const done: Promise<void> = result
      .then((settled) => {
        this.count(spans.length, settled);
        resultCallback(settled);
      })
      // The callback is the batch processor's; if it throws, that must not become an unhandled rejection.
      .catch((error: unknown) => console.warn(`[trace-log] span export callback failed: ${asError(error).message}`))
      .finally(() => this.writing.delete(done));
    this.writing.add(done);
  }

  /** Spans written and lost so far, and the error while writes are failing (for /api/health). */
  stats(): ExportStats {
    return { ...this.counts };
  }

  /** Counts the batch, and tells of an outage once when it starts and once when it ends (not once per batch). */
  private count(spans: number, result: ExportResult): void {
    if (result.code === ExportResultCode.SUCCESS) {
      this.counts.exported += spans;
      if (this.failedBatches > 0) this.onOutage(`writing spans works again after ${this.failedBatches} failed batch(es)`);
      this.failedBatches = 0;
      delete this.counts.lastError;
      return;
    }
    this.counts.dropped += spans;
    this.counts.lastError = result.error?.message ?? "unknown error";
    if (this.failedBatches++ === 0) {
      this.onOutage(`writing spans failed (${this.counts.lastError}); they are dropped and counted in /api/health until writes work again`);
    }
  }

  shutdown(): Promise<void> {
    this.isShutdown = true;
    return Promise.resolve();
  }

  async forceFlush(): Promise<void> {
    await Promise.allSettled([...this.writing]);
  }

  private write(spans: ReadableSpan[]): ExportResult | Promise<ExportResult> {
    if (this.isShutdown) {
      return { code: ExportResultCode.FAILED, error: new AppError("trace_log_failed", "the span exporter is shut down") };
    }
    const written = () => {
      this.pruneIfDue("later");
      return { code: ExportResultCode.SUCCESS };
    };
    const failed = (error: unknown) => ({ code: ExportResultCode.FAILED, error: asError(error) });
    try {
      const pending = this.log.writeSpans(spans);
      if (pending instanceof Promise) return pending.then(written, failed);
    } catch (error) {
      return failed(error);
    }
    return written();
  }

  /**
   * Prunes by age and size once per interval. After a write the first batch waits for a later
   * turn of the event loop (the write may run as a request's span ends); further batches of a
   * large backlog each get a turn of their own, so requests are never blocked for long.
   */
  private pruneIfDue(first: "now" | "later"): void {
    if ((this.limits.retentionDays === 0 && this.limits.maxBytes === 0) || this.pruning) return;
    const now = this.now();
    if (this.lastPruneAtMs !== undefined && now - this.lastPruneAtMs < this.pruneIntervalMs) return;
    // Counted as done even when it fails: a broken prune is retried next interval, not every batch.
    this.lastPruneAtMs = now;
    this.pruning = true;
    const failed = (error: unknown): void => {
      this.onPruneError(error instanceof AppError ? error : new AppError("trace_log_failed", asError(error).message, { cause: error }));
      this.pruning = false;
    };
    const next = (batch: PruneBatch): void => {
      if (batch.more && !this.isShutdown) setImmediate(step);
      else this.pruning = false;
    };
    const step = (): void => {
      try {
        const batch = this.log.pruneBatch(this.limits);
        if (batch instanceof Promise) batch.then(next, failed);
        else next(batch);
      } catch (error) {
        failed(error);
      }
    };
    if (first === "now") step();
    else setImmediate(step);
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new AppError("trace_log_failed", String(error));
}

function warnPruneFailed(error: AppError): void {
  console.warn(`[trace-log] pruning old traces failed (${error.code}): ${error.message}`);
}
