import type { Span } from "@opentelemetry/api";
import { AppError } from "../errors";
import { OpenInferenceSpanKind, withSpan } from "../telemetry/spans";
import { activeFaults } from "./fault-context";
import { formatFaultSet } from "./fault-spec";

/** On the root span of a turn that ran with injected faults, so nobody mistakes its trace for a real regression. */
export const FAULT_INJECTION_ATTRIBUTE = "app.fault_injection";

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AppError("aborted", "The request was aborted"));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AppError("aborted", "The request was aborted"));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Runs a turn (`run`, inside its root span) with the turn-level faults of the request: a share
 * of turns fails as a model call would, and a slow turn waits in proportion to its own work,
 * in a `fault_injection` span under the root, so the root's duration is what the metrics see.
 * Without faults it is `run()`.
 */
export async function withTurnFaults<T>(
  root: Span,
  signal: AbortSignal | undefined,
  run: () => Promise<T>,
  random = Math.random,
): Promise<T> {
  const faults = activeFaults();
  if (!faults) return run();
  root.setAttribute(FAULT_INJECTION_ATTRIBUTE, formatFaultSet(faults));
  if (faults.errorRate !== undefined && random() < faults.errorRate) {
    throw new AppError("llm_failed", `Injected fault (${formatFaultSet(faults)}): the turn fails as a failed model call would`);
  }
  const started = performance.now();
  const result = await run();
  const factor = faults.latencyFactor ?? 1;
  if (factor > 1) {
    const extraMs = Math.round((factor - 1) * (performance.now() - started));
    await withSpan("fault_injection", { kind: OpenInferenceSpanKind.CHAIN, attributes: { "fault.latency.extra_ms": extraMs } }, () =>
      sleep(extraMs, signal),
    );
  }
  return result;
}
