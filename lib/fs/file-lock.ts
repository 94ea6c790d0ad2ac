import fs from "node:fs";
import path from "node:path";
import lockfile from "proper-lockfile";
import { AppError } from "../errors";

export interface FileLockOptions {
  /** What the lock guards, for the error a second process gets ("the review queue"). */
  what: string;
  /** How long to wait for another holder; 0 fails at once. */
  waitMs: number;
}

// A holder that died leaves its lock behind: after this long without a refresh it is stale.
const STALE_MS = 30_000;
const RETRY_EVERY_MS = 100;

/**
 * Runs `run` while holding a cross-process lock on `target` (a `<target>.lock` directory,
 * created atomically by proper-lockfile and refreshed while held, so a crashed holder's lock
 * goes stale instead of blocking forever). Guards read-modify-write cycles that two processes
 * may run at once: curation and the review page on the queue, two ingests on one index.
 */
export async function withFileLock<T>(target: string, run: () => Promise<T> | T, options: FileLockOptions): Promise<T> {
  fs.mkdirSync(path.dirname(target), { recursive: true });
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(target, {
      realpath: false,
      lockfilePath: `${target}.lock`,
      stale: STALE_MS,
      retries: options.waitMs > 0 ? { retries: Math.ceil(options.waitMs / RETRY_EVERY_MS), factor: 1, minTimeout: RETRY_EVERY_MS } : 0,
      // Losing the lock while holding it (the machine stalled past STALE_MS) is reported, not thrown from a timer.
      onCompromised: (error) => console.warn(`[lock] the lock on ${options.what} was lost while held: ${error.message}`),
    });
  } catch (error) {
    if ((error as { code?: string }).code === "ELOCKED") {
      throw new AppError(
        "resource_busy",
        `${options.what} is in use by another process (lock ${target}.lock); try again when it has finished`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
  try {
    return await run();
  } finally {
    await release();
  }
}
