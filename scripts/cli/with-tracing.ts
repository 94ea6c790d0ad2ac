/**
 * Runs a command's work with its tracing pipeline and shuts the pipeline down afterwards, when
 * the work fails as well as when it succeeds: the spans still queued (the run's last example,
 * its error) reach the trace log and Phoenix either way. On failure the work's error is the one
 * that propagates; a shutdown that fails then is ignored.
 */
export async function withTracing<T>(tracing: { shutdown(): Promise<void> } | undefined, run: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await run();
  } catch (error) {
    await tracing?.shutdown().catch(() => undefined);
    throw error;
  }
  await tracing?.shutdown();
  return result;
}
