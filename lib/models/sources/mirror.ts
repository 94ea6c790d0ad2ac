import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { AppError } from "../../errors";
import { expectedHashes } from "../checksum";
import { pinnedHashes, type ModelFile } from "../manifest";
import type { FetchContext, PreparedSource } from "./types";

/**
 * A local folder laid out like `models/` (e.g. a shared network drive or a copy made on
 * another machine). It may hold a copy of any source's bytes, so any pinned hash of the
 * file is accepted.
 */
export async function prepareMirror(file: ModelFile, ctx: FetchContext): Promise<PreparedSource> {
  const mirror = ctx.models.mirror;
  if (!mirror) throw new AppError("model_missing", "MODELS_MIRROR is not set");
  const source = path.join(mirror, ...file.path.split("/"));
  let size: number;
  try {
    const info = await stat(source);
    if (!info.isFile()) throw new Error("not a file");
    size = info.size;
  } catch {
    throw new AppError("model_missing", `not there (${source})`);
  }
  const pinned = pinnedHashes(file);
  if (pinned.length === 0) {
    throw new AppError("model_checksum_mismatch", `has ${source}, but no pinned sha256 to verify it against`);
  }
  return {
    kind: "mirror",
    from: source,
    expected: expectedHashes(
      pinned.map((h) => h.sha256),
      "pinned hashes",
    ),
    totalBytes: size,
    chunks: () => createReadStream(source, { highWaterMark: 1 << 20, signal: ctx.signal }),
  };
}
