import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { access, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { AppError, type ErrorCode } from "../errors";
import { OutputTail } from "../telemetry/output-tail";

/**
 * A project-local Python venv holding pinned requirements (Arize Phoenix, llama.cpp's
 * OpenAI-compatible server): created with the system Python, pip-installed from a committed
 * requirements file, idempotent. A marker in the venv holds the sha256 of the requirements it
 * was built from, so a second call with nothing changed only hashes one small file; it is
 * removed before pip runs and written after pip succeeds, so an interrupted install is redone.
 */
export interface PythonVenvSpec {
  /** The repository root; `venvDir` and `requirementsPath` are relative to it. */
  root: string;
  venvDir: string;
  requirementsPath: string;
  /** An executable the install must leave in the venv's bin/ ("phoenix", "python"). */
  binary: string;
  /** The oldest Python the requirements run on. */
  minPython: readonly [number, number];
  /** What is being installed, for messages ("Arize Phoenix"). */
  label: string;
  /** The error code of a failed install, whose message names the fix. */
  errorCode: ErrorCode;
  /** The interpreter that creates the venv (default `python3`). */
  python?: string;
  onProgress?: (message: string) => void;
}

export interface PythonVenv {
  venvDir: string;
  /** The absolute path of `spec.binary` in the venv. */
  binary: string;
  /** false when the venv was already up to date and nothing ran. */
  installed: boolean;
}

const MARKER_FILE = ".requirements.sha256";

export function venvBin(venvDir: string, name: string): string {
  return path.join(venvDir, "bin", name);
}

export async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

interface RunResult {
  code: number | null;
  output: string;
  spawnError?: NodeJS.ErrnoException;
}

/** Runs a command to completion; stdout and stderr are merged into one tail (pip interleaves them). */
function runCommand(command: string, args: string[], onLine?: (line: string) => void): Promise<RunResult> {
  return new Promise((resolve) => {
    const tail = new OutputTail(40, onLine);
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, PIP_NO_INPUT: "1" } });
    child.stdout.on("data", (chunk: Buffer) => tail.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => tail.push(chunk));
    child.once("error", (error: NodeJS.ErrnoException) => resolve({ code: null, output: tail.text(), spawnError: error }));
    child.once("close", (code) => resolve({ code, output: tail.text() }));
  });
}

async function checkPython(python: string, spec: PythonVenvSpec): Promise<void> {
  const result = await runCommand(python, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"]);
  const wanted = spec.minPython.join(".");
  if (result.spawnError?.code === "ENOENT") {
    throw new AppError(
      spec.errorCode,
      `${python} was not found. ${spec.label} runs from a Python venv: install Python ${wanted}+ with venv and pip (Debian/Ubuntu: apt-get install python3 python3-venv).`,
    );
  }
  const match = /^(\d+)\.(\d+)/.exec(result.output.trim());
  if (result.code !== 0 || !match)
    throw new AppError(spec.errorCode, `${python} did not run: ${result.spawnError?.message ?? result.output}`);
  const [major, minor] = [Number(match[1]), Number(match[2])];
  if (major < spec.minPython[0] || (major === spec.minPython[0] && minor < spec.minPython[1])) {
    throw new AppError(
      spec.errorCode,
      `${python} is Python ${major}.${minor}; ${spec.label} needs ${wanted} or newer (set PYTHON to another interpreter).`,
    );
  }
}

async function createVenv(python: string, venvDir: string, spec: PythonVenvSpec, onProgress: (message: string) => void): Promise<void> {
  onProgress(`Creating a Python venv in ${path.relative(spec.root, venvDir) || venvDir}`);
  await mkdir(path.dirname(venvDir), { recursive: true });
  const created = await runCommand(python, ["-m", "venv", "--clear", venvDir]);
  if (created.code !== 0) {
    throw new AppError(
      spec.errorCode,
      `${python} -m venv failed (on Debian/Ubuntu: apt-get install python3-venv):\n${created.spawnError?.message ?? created.output}`,
    );
  }
}

async function pipInstall(
  venvDir: string,
  requirementsPath: string,
  requirements: string,
  spec: PythonVenvSpec,
  onProgress: (message: string) => void,
): Promise<void> {
  const pins = requirements
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
  onProgress(`Installing ${pins.join(", ")} with pip (first time: a few minutes)`);
  // Only pip's milestones are forwarded: its full output is hundreds of lines per install.
  const milestone = /^(Collecting|Building wheel|Installing collected|Successfully installed)/;
  const args = ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "-r", requirementsPath];
  const installed = await runCommand(venvBin(venvDir, "python"), args, (line) => {
    if (milestone.test(line)) onProgress(line.length > 160 ? `${line.slice(0, 157)}...` : line);
  });
  if (installed.code !== 0 || !(await exists(venvBin(venvDir, spec.binary)))) {
    const why = installed.spawnError?.message ?? `pip exited with ${installed.code}`;
    throw new AppError(spec.errorCode, `pip install -r ${requirementsPath} failed (${why}). Last lines:\n${installed.output}`);
  }
}

export async function ensurePythonVenv(spec: PythonVenvSpec): Promise<PythonVenv> {
  const onProgress = spec.onProgress ?? (() => {});
  const python = spec.python ?? "python3";
  const requirementsPath = path.resolve(spec.root, spec.requirementsPath);
  const venvDir = path.resolve(spec.root, spec.venvDir);
  const binary = venvBin(venvDir, spec.binary);
  const marker = path.join(venvDir, MARKER_FILE);
  let requirements: string;
  try {
    requirements = await readFile(requirementsPath, "utf8");
  } catch (error) {
    throw new AppError(spec.errorCode, `cannot read ${requirementsPath}`, { cause: error });
  }
  const digest = createHash("sha256").update(requirements).digest("hex");
  const current = await readFile(marker, "utf8").catch(() => "");
  if (current.trim() === digest && (await exists(binary))) return { venvDir, binary, installed: false };
  await checkPython(python, spec);
  await rm(marker, { force: true });
  if (!(await exists(venvBin(venvDir, "python")))) await createVenv(python, venvDir, spec, onProgress);
  await pipInstall(venvDir, requirementsPath, requirements, spec, onProgress);
  await writeFile(marker, `${digest}\n`);
  return { venvDir, binary, installed: true };
}
