import type { ChaosContext, ChaosServer } from "./context";
import type { ScenarioName } from "./options";

/** A figure in the JSON report. */
export type Figure = string | number | boolean | null | undefined | Figure[] | { [key: string]: Figure };

export interface ScenarioResult {
  /** The figures, for the JSON report. */
  figures: Record<string, Figure>;
  /** The same, as short lines for the terminal table. */
  lines: string[];
  /** Why the scenario failed its checks; empty when it passed. */
  failures: string[];
}

export interface Scenario {
  name: ScenarioName;
  /** What it does, for the progress line. */
  describe(ctx: ChaosContext): string;
  /** The longest it may run; past this it is stopped and fails. */
  boundMs(ctx: ChaosContext): number;
  /** `signal` aborts when the bound passes: every loop stops on it. */
  run(ctx: ChaosContext, signal: AbortSignal): Promise<ScenarioResult>;
}

/** Waits `ms`, or less when `signal` aborts first; never throws. */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, Math.max(0, ms));
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** Reads the server's resident memory every `everyMs` until stopped; the readings, in bytes, the first taken at once. */
export function sampleRss(server: Pick<ChaosServer, "rss">, everyMs: number): { stop: () => number[] } {
  const samples: number[] = [];
  const read = () => {
    const rss = server.rss();
    if (rss !== undefined) samples.push(rss);
  };
  read();
  const timer = setInterval(read, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      read();
      return samples;
    },
  };
}

export type RssFigures = { startMiB: number | null; endMiB: number | null; growthPct: number | null };

/** Resident memory before and after, in MiB, and the growth in per cent. */
export function rssFigures(start: number | undefined, end: number | undefined): RssFigures {
  const growth = start && end ? Math.round(((end - start) / start) * 1000) / 10 : null;
  return { startMiB: toMiB(start), endMiB: toMiB(end), growthPct: growth };
}

/** Bytes as MiB with one decimal; null when unknown (no /proc). */
export const toMiB = (bytes: number | undefined): number | null => (bytes === undefined ? null : Math.round((bytes / 1048576) * 10) / 10);

export function formatRss(rss: RssFigures): string {
  const growth = rss.growthPct === null ? "?" : `${rss.growthPct >= 0 ? "+" : ""}${rss.growthPct} %`;
  return `RSS ${rss.startMiB ?? "?"} -> ${rss.endMiB ?? "?"} MiB (${growth})`;
}
