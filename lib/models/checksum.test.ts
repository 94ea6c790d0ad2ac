import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { expectedHashes, sha256File } from "./checksum";
import { installVerified, removeStaleTempFiles } from "./install";

const sha = (data: string) => createHash("sha256").update(data).digest("hex");

/** The parts as a download streams them. */
async function* chunksOf(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield new TextEncoder().encode(part);
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "models-checksum-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("sha256File", () => {
  it("streams a file through sha256", async () => {
    const file = path.join(dir, "a.bin");
    await writeFile(file, "hello model");
    const seen: number[] = [];
    const result = await sha256File(file, { onBytes: (n) => seen.push(n) });
    expect(result).toEqual({ sha256: sha("hello model"), bytes: 11 });
    expect(seen.at(-1)).toBe(11);
  });
});

describe("installVerified", () => {
  it("writes a file whose sha256 is expected, via a temp file", async () => {
    const dest = path.join(dir, "sub", "model.bin");
    const result = await installVerified(dest, chunksOf("good ", "bytes"), expectedHashes([sha("good bytes")], "test"));
    expect(result).toEqual({ sha256: sha("good bytes"), bytes: 10 });
    expect(await readFile(dest, "utf8")).toBe("good bytes");
    expect(await readdir(path.dirname(dest))).toEqual(["model.bin"]);
  });

  it("rejects tampered bytes and keeps nothing (no file, no temp file)", async () => {
    const dest = path.join(dir, "model.bin");
    const error = await installVerified(dest, chunksOf("tampered"), expectedHashes([sha("good bytes")], "test")).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("model_checksum_mismatch");
    expect(await readdir(dir)).toEqual([]);
  });

  it("does not replace a good file with a bad download", async () => {
    const dest = path.join(dir, "model.bin");
    await writeFile(dest, "good bytes");
    await expect(installVerified(dest, chunksOf("evil"), expectedHashes([sha("evil!")], "test"))).rejects.toThrow(/sha256/);
    expect(await readFile(dest, "utf8")).toBe("good bytes");
  });

  it("cleans up when the stream fails half-way", async () => {
    const dest = path.join(dir, "model.bin");
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield* chunksOf("half");
      throw new Error("connection reset");
    }
    await expect(installVerified(dest, broken(), expectedHashes([sha("half")], "test"))).rejects.toThrow("connection reset");
    expect(await readdir(dir)).toEqual([]);
  });
});

describe("removeStaleTempFiles", () => {
  it("removes temp files of dead processes only", async () => {
    const dest = path.join(dir, "model.bin");
    const dead = path.join(dir, ".model.bin.999999999-abcd.part");
    const live = path.join(dir, `.model.bin.${process.pid}-abcd.part`);
    await writeFile(dead, "x");
    await writeFile(live, "x");
    await removeStaleTempFiles(dest);
    expect(await readdir(dir)).toEqual([path.basename(live)]);
  });
});
