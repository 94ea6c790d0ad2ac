import type { AppConfig } from "../../config";
import type { ExpectedHashes } from "../checksum";
import type { ModelFile, SourceKind } from "../manifest";

/** What one run shares between files and sources. */
export interface FetchContext {
  models: AppConfig["models"];
  /** Scratch space for this run (wheels, extracted archives); removed when the run ends. */
  tmpDir: string;
  signal?: AbortSignal;
  /** A one-line progress note about the file being fetched. */
  note: (message: string) => void;
  /** Set when the hub failed at the network level, so later files do not wait on it again. */
  hubDown?: string;
  /** Per-run memo of slow shared steps (pip downloads, extracted archives, tool lookups). */
  memo: Map<string, Promise<string>>;
}

/** A source that has found the file and is ready to stream it. */
export interface PreparedSource {
  kind: SourceKind;
  /** Where the bytes come from, for messages and the lock file. */
  from: string;
  expected: ExpectedHashes;
  totalBytes?: number;
  chunks: () => AsyncIterable<Uint8Array>;
}

/** Finds the file in one source or throws an error saying why it is not to be had there. */
export type Source = (file: ModelFile, ctx: FetchContext) => Promise<PreparedSource>;

/** Runs `step` once per key per run, sharing the result (or the failure). */
export function memo(ctx: FetchContext, key: string, step: () => Promise<string>): Promise<string> {
  let pending = ctx.memo.get(key);
  if (!pending) {
    pending = step();
    ctx.memo.set(key, pending);
  }
  return pending;
}
