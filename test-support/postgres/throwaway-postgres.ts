import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startLocalPostgres, type LocalPostgres } from "@/lib/postgres/local-postgres";
import { ensurePostgresVenv } from "@/lib/postgres/postgres-venv";
import { freePort } from "../process/free-port";

/**
 * A PostgreSQL (with pgvector) for one test file: the project's venv (built as `npm run db`
 * builds it), a free port on 127.0.0.1, a fresh cluster in a temp folder with fsync off, and
 * never DATABASE_URL's server. `stop()` also removes the folder.
 */
export async function startThrowawayPostgres(root: string, database = "rag_test"): Promise<LocalPostgres> {
  const venv = await ensurePostgresVenv({ root, onProgress: (line) => console.log(`[postgres venv] ${line}`) });
  const workingDir = await mkdtemp(path.join(os.tmpdir(), "pg-test-"));
  // When tests run as root the server runs as an unprivileged user, who must reach the cluster inside.
  await chmod(workingDir, 0o755);
  try {
    const db = await startLocalPostgres({
      binDir: venv.binDir,
      dataDir: path.join(workingDir, "data"),
      port: await freePort(),
      database,
      unsafeFast: true,
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
