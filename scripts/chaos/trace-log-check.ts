import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { z } from "zod";

const integritySchema = z.array(z.object({ integrity_check: z.string() }));

/**
 * SQLite's own verdict on the trace log (`PRAGMA integrity_check`: "ok", or what is broken) and
 * how many traces it holds. Opened read-write, as the server opens it: a WAL left by a crash
 * is recovered, and closing the last connection checkpoints and removes it.
 */
export function checkTraceLog(file: string): { integrity: string; traces: number } {
  const db = new Database(file, { fileMustExist: true });
  try {
    const integrity = integritySchema
      .parse(db.pragma("integrity_check"))
      .map((row) => row.integrity_check)
      .join("; ");
    const traces = z.number().parse(db.prepare("SELECT COUNT(*) FROM spans WHERE parent_span_id IS NULL").pluck().get());
    return { integrity, traces };
  } finally {
    db.close();
  }
}

// Half-written files (atomic writes use a temporary name), locks, and SQLite's journals once no connection is open.
const LEFTOVER = [/\.tmp$/i, /\.tmp[-.]/i, /^\.tmp/i, /\.lock$/i, /-journal$/, /-wal$/, /-shm$/, /~$/, /\.partial$/i];

/** Files under `dirs` that look like something interrupted or still open left them behind. */
export function leftoverFiles(dirs: readonly string[]): string[] {
  return dirs.flatMap((dir) =>
    fs.existsSync(dir)
      ? (fs.readdirSync(dir, { recursive: true }) as string[])
          .filter((file) => LEFTOVER.some((pattern) => pattern.test(path.basename(file))))
          .map((file) => path.join(dir, file))
      : [],
  );
}
