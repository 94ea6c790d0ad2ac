import type { ServerProcess } from "./server-process";

/**
 * Polls a server's health URL until it answers 2xx while the process still runs. Throws as
 * soon as the process exits or fails to spawn, and when `timeoutMs` passes without an answer.
 */
export async function waitForHealth(server: ServerProcess, healthUrl: string, timeoutMs: number): Promise<void> {
  let failure: Error | undefined;
  void server.exited.then(({ code, signal }) => (failure ??= new Error(`it exited (${signal ?? `code ${code}`})`)));
  void server.spawnFailed.then((error) => (failure ??= error));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (failure) throw failure;
    try {
      const response = await fetch(healthUrl, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.ok && server.running()) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw failure ?? new Error(`no answer from ${healthUrl} within ${Math.round(timeoutMs / 1000)} s`);
}
