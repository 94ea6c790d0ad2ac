import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freePort } from "../process/free-port";
import { startLocalPostgres, type LocalPostgres, type LocalPostgresOptions } from "./local-postgres";
import { ensurePostgresVenv } from "./postgres-venv";

export interface TemporaryPostgresOptions extends Pick<LocalPostgresOptions, "database" | "unsafeFast" | "settings" | "echo"> {
  /** The repository root (where the venv lives). */
  root: string;
  onProgress?: (line: string) => void;
}

/**
 * A PostgreSQL (with pgvector) that lives as long as its caller (a test file, a benchmark run):
 * the project's venv (built as `npm run db` builds it), a free port on 127.0.0.1 and a fresh
 * cluster in a temp folder, never DATABASE_URL's server. `stop()` also removes the folder.
 */
export async function startTemporaryPostgres(options: TemporaryPostgresOptions): Promise<LocalPostgres> {
  const venv = await ensurePostgresVenv({ root: options.root, onProgress: options.onProgress });
  const workingDir = await mkdtemp(path.join(os.tmpdir(), "pg-temp-"));
  // Run as root, the server is an unprivileged user who must reach the cluster inside.
  await chmod(workingDir, 0o755);
  try {
    const db = await startLocalPostgres({
      binDir: venv.binDir,
      dataDir: path.join(workingDir, "data"),
      port: await freePort(),
      database: options.database,
      unsafeFast: options.unsafeFast,
      settings: options.settings,
      echo: options.echo,
    });
    return {
      ...db,
      stop: async () => {
        await db.stop();
        await rm(workingDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(workingDir, { recursive: true, force: true });
    throw error;
  }
}
