import { withDeadline } from "@/lib/async/with-deadline";
import { AppError } from "@/lib/errors";

/** Same tool, same arguments (key order ignored). */
export function callKey(tool: string, args: Record<string, unknown>): string {
  return `${tool}:${stableStringify(args)}`;
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.entries(value)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/**
 * Runs a tool call with its own abort signal, aborted after `ms` (or with the request): the
 * tool run then fails inside LangChain, so its TOOL span ends in ERROR like any other failure.
 */
export function withTimeout<T>(run: (signal: AbortSignal) => Promise<T>, ms: number, tool: string, outer?: AbortSignal): Promise<T> {
  return withDeadline(run, ms, new AppError("tool_timeout", `${tool} did not answer within ${ms} ms`), outer);
}
