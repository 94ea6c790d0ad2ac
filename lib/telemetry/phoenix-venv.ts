import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { access, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { AppError } from "../errors";
import { OutputTail } from "./output-tail";

/**
 * The project-local Python venv (`.phoenix/venv`, gitignored) that Arize Phoenix runs from,
 * holding the `arize-phoenix` version pinned in `scripts/phoenix-requirements.txt`.
 */

export const PHOENIX_DIR = ".phoenix";
const REQUIREMENTS_FILE = path.join("scripts", "phoenix-requirements.txt");
/** arize-phoenix 20.x declares `Requires-Python: >=3.11,<3.15`. */
const MIN_PYTHON: readonly [number, number] = [3, 11];
const MARKER_FILE = ".requirements.sha256";

function phoenixVenvDir(root: string): string {
  return path.join(root, PHOENIX_DIR, "venv");
}

function venvBin(venvDir: string, name: string): string {
  return path.join(venvDir, "bin", name);
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/** The venv's `phoenix` executable; `phoenix_unavailable` while the venv is not built. */
export async function installedPhoenixBin(root: string): Promise<string> {
  const phoenixBin = venvBin(phoenixVenvDir(root), "phoenix");
  if (!(await exists(phoenixBin))) {
    throw new AppError("phoenix_unavailable", `${phoenixBin} is missing: run \`npm run phoenix -- --install-only\` first.`);
  }
  return phoenixBin;
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

async function checkPython(python: string): Promise<void> {
  const result = await runCommand(python, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"]);
  if (result.spawnError?.code === "ENOENT") {
    throw new AppError(
      "phoenix_install_failed",
      `${python} was not found. Phoenix runs from a Python venv: install Python ${MIN_PYTHON.join(".")}+ with venv and pip (Debian/Ubuntu: apt-get install python3 python3-venv).`,
    );
  }
  const match = /^(\d+)\.(\d+)/.exec(result.output.trim());
  if (result.code !== 0 || !match) {
    throw new AppError("phoenix_install_failed", `${python} did not run: ${result.spawnError?.message ?? result.output}`);
  }
  const [major, minor] = [Number(match[1]), Number(match[2])];
  if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
    throw new AppError(
      "phoenix_install_failed",
      `${python} is Python ${major}.${minor}; arize-phoenix needs ${MIN_PYTHON.join(".")} or newer (set PYTHON to another interpreter).`,
    );
  }
}

async function createVenv(python: string, venvDir: string, root: string, onProgress: (message: string) => void): Promise<void> {
  onProgress(`Creating a Python venv in ${path.relative(root, venvDir) || venvDir}`);
  await mkdir(path.dirname(venvDir), { recursive: true });
  const created = await runCommand(python, ["-m", "venv", "--clear", venvDir]);
  if (created.code !== 0) {
    throw new AppError(
      "phoenix_install_failed",
      `${python} -m venv failed (on Debian/Ubuntu: apt-get install python3-venv):\n${created.spawnError?.message ?? created.output}`,
    );
  }
}

async function pipInstall(
  venvDir: string,
  requirementsPath: string,
  requirements: string,
  onProgress: (message: string) => void,
): Promise<void> {
  const pins = requirements
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
  onProgress(`Installing ${pins.join(", ")} with pip (first time: a few minutes, ~850 MB)`);
  // Only pip's milestones are forwarded: its full output is hundreds of lines per install.
  const milestone = /^(Collecting|Installing collected|Successfully installed)/;
  const installed = await runCommand(
    venvBin(venvDir, "python"),
    ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "-r", requirementsPath],
    (line) => {
      if (milestone.test(line)) onProgress(line.length > 160 ? `${line.slice(0, 157)}...` : line);
    },
  );
  if (installed.code !== 0 || !(await exists(venvBin(venvDir, "phoenix")))) {
    const why = installed.spawnError?.message ?? `pip exited with ${installed.code}`;
    throw new AppError("phoenix_install_failed", `pip install -r ${requirementsPath} failed (${why}). Last lines:\n${installed.output}`);
  }
}

export interface EnsurePhoenixVenvOptions {
  /** The repository root: the venv goes to `<root>/.phoenix/venv`. */
  root: string;
  /** Human-readable progress lines (venv creation, pip's "Collecting …"/"Installing …"). */
  onProgress?: (message: string) => void;
  /** The interpreter that creates the venv (default `python3`). */
  python?: string;
  /** Default `<root>/scripts/phoenix-requirements.txt`. */
  requirementsPath?: string;
}

export interface PhoenixVenv {
  venvDir: string;
  phoenixBin: string;
  /** false when the venv was already up to date and nothing ran. */
  installed: boolean;
}

/**
 * Creates `.phoenix/venv` and pip-installs the pinned requirements. Idempotent: a marker
 * file in the venv holds the sha256 of the requirements it was built from, so a second
 * call with nothing changed only hashes one small file. The marker is removed before pip
 * runs and written after it succeeds, so an interrupted install is redone, not trusted.
 */
export async function ensurePhoenixVenv(options: EnsurePhoenixVenvOptions): Promise<PhoenixVenv> {
  const { root, onProgress = () => {}, python = "python3" } = options;
  const requirementsPath = path.resolve(root, options.requirementsPath ?? REQUIREMENTS_FILE);
  const venvDir = phoenixVenvDir(root);
  const phoenixBin = venvBin(venvDir, "phoenix");
  const marker = path.join(venvDir, MARKER_FILE);

  let requirements: string;
  try {
    requirements = await readFile(requirementsPath, "utf8");
  } catch (error) {
    throw new AppError("phoenix_install_failed", `cannot read ${requirementsPath}`, { cause: error });
  }
  const digest = createHash("sha256").update(requirements).digest("hex");
  const current = await readFile(marker, "utf8").catch(() => "");
  if (current.trim() === digest && (await exists(phoenixBin))) {
    return { venvDir, phoenixBin, installed: false };
  }

  await checkPython(python);
  await rm(marker, { force: true });
  if (!(await exists(venvBin(venvDir, "python")))) await createVenv(python, venvDir, root, onProgress);
  await pipInstall(venvDir, requirementsPath, requirements, onProgress);
  await writeFile(marker, `${digest}\n`);
  return { venvDir, phoenixBin, installed: true };
}
