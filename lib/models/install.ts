import { createHash, randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { AppError } from "../errors";
import { describeExpected, matches, short, type ExpectedHashes } from "./checksum";

/**
 * Writes a stream of bytes to `dest` so that a file at `dest` is always complete and
 * verified: the bytes go to a hidden temp file in the same directory (same filesystem,
 * so the final rename is atomic), are hashed on the way, and the temp file is renamed
 * over `dest` only when its sha256 is one of the expected ones. Otherwise it is deleted
 * and a `model_checksum_mismatch` error is thrown.
 */
export async function installVerified(
  dest: string,
  chunks: AsyncIterable<Uint8Array>,
  expected: ExpectedHashes,
  options: { onBytes?: (bytes: number) => void; signal?: AbortSignal } = {},
): Promise<{ sha256: string; bytes: number }> {
  await mkdir(path.dirname(dest), { recursive: true });
  await removeStaleTempFiles(dest);
  const temp = tempPathFor(dest);
  const hash = createHash("sha256");
  let bytes = 0;
  try {
    await pipeline(
      chunks,
      async function* (source: AsyncIterable<Uint8Array>) {
        for await (const chunk of source) {
          hash.update(chunk);
          bytes += chunk.length;
          options.onBytes?.(bytes);
          yield chunk;
        }
      },
      createWriteStream(temp, { flags: "wx" }),
      { signal: options.signal },
    );
    const sha256 = hash.digest("hex");
    if (!matches(expected, sha256)) {
      throw new AppError(
        "model_checksum_mismatch",
        `sha256 ${short(sha256)} (${bytes} bytes) does not match ${describeExpected(expected)}`,
      );
    }
    await rename(temp, dest);
    return { sha256, bytes };
  } finally {
    await rm(temp, { force: true });
  }
}

/** `.<name>.<pid>-<random>.part`: hidden, so nothing globbing the models dir picks it up. */
export function tempPathFor(dest: string): string {
  return path.join(path.dirname(dest), `.${path.basename(dest)}.${process.pid}-${randomBytes(4).toString("hex")}.part`);
}

/** Deletes temp files that a killed run left behind (their pid is gone). */
export async function removeStaleTempFiles(dest: string): Promise<void> {
  const dir = path.dirname(dest);
  const prefix = `.${path.basename(dest)}.`;
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.startsWith(prefix) || !entry.endsWith(".part")) continue;
    const pid = Number(entry.slice(prefix.length).split("-")[0]);
    if (Number.isInteger(pid) && pid > 0 && !isAlive(pid)) await rm(path.join(dir, entry), { force: true });
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
