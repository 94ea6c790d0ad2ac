/**
 * Runs `run` with a signal that is aborted after `ms` (or when `outer` is): the promise rejects
 * with `expired` at the deadline even if `run` ignores its signal, so a caller never waits
 * past it. A tool call (15 s) and a whole chat turn share this.
 */
export function withDeadline<T>(run: (signal: AbortSignal) => Promise<T>, ms: number, expired: Error, outer?: AbortSignal): Promise<T> {
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort(outer?.reason);
  outer?.addEventListener("abort", onOuterAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort(expired);
      reject(expired);
    }, ms);
  });
  return Promise.race([run(controller.signal), deadline]).finally(() => {
    clearTimeout(timer);
    outer?.removeEventListener("abort", onOuterAbort);
  });
}
