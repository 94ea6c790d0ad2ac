import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ensurePhoenixVenv, freePort, startPhoenix, type RunningPhoenix } from "./phoenix-server";

/**
 * A Phoenix for one test run: the project's venv, free ports on 127.0.0.1, an empty database
 * in a temp folder, and never a database configured for a real Phoenix. `stop()` also
 * removes the folder.
 */
export async function startThrowawayPhoenix(root: string): Promise<RunningPhoenix> {
  await ensurePhoenixVenv({ root, onProgress: (line) => console.log(`[phoenix venv] ${line}`) });
  const workingDir = await mkdtemp(path.join(os.tmpdir(), "phoenix-test-"));
  try {
    const phoenix = await startPhoenix({
      root,
      port: await freePort(),
      grpcPort: await freePort(),
      workingDir,
      env: { PHOENIX_SQL_DATABASE_URL: undefined, PHOENIX_POSTGRES_HOST: undefined, PHOENIX_ENABLE_AUTH: undefined },
    });
    return {
      ...phoenix,
      stop: async () => {
        await phoenix.stop();
        await rm(workingDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(workingDir, { recursive: true, force: true });
    throw error;
  }
}
