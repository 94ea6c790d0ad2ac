import path from "node:path";
import { AppError } from "../errors";
import { ensurePythonVenv, exists, venvBin } from "../process/python-venv";

/**
 * The project-local Python venv (`.phoenix/venv`, gitignored) that Arize Phoenix runs from,
 * holding the `arize-phoenix` version pinned in `scripts/phoenix-requirements.txt`.
 */

export const PHOENIX_DIR = ".phoenix";

function phoenixVenvDir(root: string): string {
  return path.join(root, PHOENIX_DIR, "venv");
}

/** The venv's `phoenix` executable; `phoenix_unavailable` while the venv is not built. */
export async function installedPhoenixBin(root: string): Promise<string> {
  const phoenixBin = venvBin(phoenixVenvDir(root), "phoenix");
  if (!(await exists(phoenixBin))) {
    throw new AppError("phoenix_unavailable", `${phoenixBin} is missing: run \`npm run phoenix -- --install-only\` first.`);
  }
  return phoenixBin;
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

/** Creates `.phoenix/venv` and pip-installs the pinned arize-phoenix (idempotent; see ../process/python-venv.ts). */
export async function ensurePhoenixVenv(options: EnsurePhoenixVenvOptions): Promise<PhoenixVenv> {
  const venv = await ensurePythonVenv({
    root: options.root,
    venvDir: phoenixVenvDir(options.root),
    requirementsPath: options.requirementsPath ?? path.join("scripts", "phoenix-requirements.txt"),
    binary: "phoenix",
    // arize-phoenix 20.x declares `Requires-Python: >=3.11,<3.15`.
    minPython: [3, 11],
    label: "Arize Phoenix",
    errorCode: "phoenix_install_failed",
    python: options.python,
    onProgress: options.onProgress,
  });
  return { venvDir: venv.venvDir, phoenixBin: venv.binary, installed: venv.installed };
}
