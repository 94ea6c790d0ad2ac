import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { AppError } from "@/lib/errors";
import { startPhoenix, type RunningPhoenix } from "@/lib/telemetry/phoenix-server";
import { ensurePhoenixVenv } from "@/lib/telemetry/phoenix-venv";
import { freePort } from "../process/free-port";

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

/**
 * Retries a probe while Phoenix has not ingested what was just exported (its inserts are
 * batched): until it returns a value, or throws anything but "not there yet".
 */
export async function untilPhoenixHas<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      const notYet = error instanceof AppError && (error.code === "phoenix_project_not_found" || error.code === "phoenix_span_not_found");
      if (!notYet || Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`not in Phoenix within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
