import { ExportResultCode, type ExportResult } from "@opentelemetry/core";

export interface ExportStats {
  exported: number;
  dropped: number;
  /** The last export error, while the destination is failing. */
  lastError?: string;
}

/**
 * Counts what an exporter sent and dropped, and warns once per outage (the next success ends
 * it): shared by the guarded span and metric exporters, so a down collector is a counter and
 * one line in the log, never an error per batch.
 */
export class ExportOutageCounter {
  private readonly counts: ExportStats = { exported: 0, dropped: 0 };
  private warned = false;

  constructor(
    private readonly warn: (message: string) => void,
    private readonly outageMessage: (error: string) => string,
  ) {}

  record(count: number, result: ExportResult): void {
    if (result.code === ExportResultCode.SUCCESS) {
      this.counts.exported += count;
      this.counts.lastError = undefined;
      this.warned = false;
      return;
    }
    this.counts.dropped += count;
    this.counts.lastError = result.error?.message ?? "export failed";
    if (this.warned) return;
    this.warned = true;
    this.warn(this.outageMessage(this.counts.lastError));
  }

  stats(): ExportStats {
    return { ...this.counts };
  }
}
