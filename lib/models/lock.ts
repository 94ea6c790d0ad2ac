import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { SOURCE_KINDS } from "./manifest";

/**
 * `models/manifest.lock.json`: the sha256 and size of each file as it was verified when
 * it was installed, and where it came from. Later runs accept a cached file whose hash
 * equals its lock entry (this is how hub files without a pinned hash stay verifiable),
 * and `missingModels` compares sizes against it without hashing.
 */
export const LOCK_FILE_NAME = "manifest.lock.json";

const entrySchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().nonnegative(),
  /** A source, or "cached": the file was already in the models dir and matched a known hash. */
  source: z.enum([...SOURCE_KINDS, "cached"]),
  from: z.string(),
  verifiedAt: z.string(),
});
const lockSchema = z.object({ version: z.literal(1), files: z.record(z.string(), entrySchema) });

export type LockEntry = z.infer<typeof entrySchema>;
export type LockFile = z.infer<typeof lockSchema>;

export function lockPath(modelsDir: string): string {
  return path.join(modelsDir, LOCK_FILE_NAME);
}

/** Reads the lock; a missing or unreadable lock is an empty one (it is only a cache of facts). */
export async function readLock(modelsDir: string): Promise<LockFile> {
  try {
    const parsed = lockSchema.safeParse(JSON.parse(await readFile(lockPath(modelsDir), "utf8")));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through
  }
  return { version: 1, files: {} };
}

/** Atomic write (temp file + rename), so a crash never leaves half a lock. */
export async function writeLock(modelsDir: string, lock: LockFile): Promise<void> {
  await mkdir(modelsDir, { recursive: true });
  const target = lockPath(modelsDir);
  const temp = `${target}.${process.pid}.tmp`;
  const sorted = Object.fromEntries(Object.entries(lock.files).sort(([a], [b]) => a.localeCompare(b)));
  await writeFile(temp, `${JSON.stringify({ version: 1, files: sorted }, null, 2)}\n`);
  await rename(temp, target);
}

/** Read-modify-write of one entry (re-reading keeps entries another run wrote meanwhile). */
export async function updateLockEntry(modelsDir: string, filePath: string, entry: LockEntry | undefined): Promise<void> {
  const lock = await readLock(modelsDir);
  if (entry) lock.files[filePath] = entry;
  else if (filePath in lock.files) delete lock.files[filePath];
  else return;
  await writeLock(modelsDir, lock);
}
