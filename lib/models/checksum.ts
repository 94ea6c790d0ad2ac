import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function isSha256(value: string): boolean {
  return SHA256_HEX.test(value);
}

/** A set of acceptable sha256s and a few words on where they come from, for messages. */
export interface ExpectedHashes {
  sha256: ReadonlySet<string>;
  origin: string;
}

export function expectedHashes(hashes: Iterable<string>, origin: string): ExpectedHashes {
  return { sha256: new Set([...hashes].map((h) => h.toLowerCase())), origin };
}

export function matches(expected: ExpectedHashes, sha256: string): boolean {
  return expected.sha256.has(sha256.toLowerCase());
}

export function describeExpected(expected: ExpectedHashes): string {
  const list = [...expected.sha256];
  if (list.length === 0) return `no known sha256 (${expected.origin})`;
  return `${list.map(short).join(" or ")} (${expected.origin})`;
}

export function short(sha256: string): string {
  return `${sha256.slice(0, 12)}…`;
}

/** Streams a file through sha256 (model files are hundreds of MB: never read them whole). */
export async function sha256File(
  filePath: string,
  options: { onBytes?: (bytes: number) => void; signal?: AbortSignal } = {},
): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash("sha256");
  let bytes = 0;
  const stream = createReadStream(filePath, { highWaterMark: 1 << 20, signal: options.signal });
  for await (const chunk of stream as AsyncIterable<Uint8Array>) {
    hash.update(chunk);
    bytes += chunk.length;
    options.onBytes?.(bytes);
  }
  return { sha256: hash.digest("hex"), bytes };
}
