import type { ErrorCode, ErrorInfo } from "@/lib/errors";
import { truncate } from "@/lib/text/truncate";
import { MAX_MESSAGE_CHARS } from "./dispatcher-envelope";
import type { RunCodeLimits } from "./run-code-request";

/** The error a `runCode` call reports for each way a run can end other than cleanly. */

export function timeLimitError(limits: RunCodeLimits): ErrorInfo {
  return {
    code: "tool_timeout",
    message: `Time limit exceeded: the code and its tests may run for ${limits.timeoutMs} ms in total (infinite loop?)`,
  };
}

export function outputLimitError(limits: RunCodeLimits): ErrorInfo {
  return {
    code: "tool_resource_limit",
    message: `Output limit exceeded: console output may be at most ${limits.maxOutputBytes} bytes`,
  };
}

export function memoryLimitError(limits: RunCodeLimits): ErrorInfo {
  return { code: "tool_resource_limit", message: `Memory limit exceeded: the sandbox may use about ${limits.memoryMb} MB` };
}

/** A failure of the sandbox machinery itself (not something the code did). */
export function sandboxError(detail: string): ErrorInfo {
  return { code: "tool_failed", message: `Sandbox error: ${truncate(detail, 300)}` };
}

/** Range errors that mean "too big" rather than "wrong". */
function isResourceRangeError(name: string, message: string): boolean {
  return (
    name === "RangeError" &&
    /Invalid string length|Array buffer allocation failed|Invalid typed array length|Invalid array buffer length/.test(message)
  );
}

/** What the program threw and did not catch. */
export function thrownError(name: string, message: string): ErrorInfo {
  const text = truncate(`${name}: ${message}`, MAX_MESSAGE_CHARS);
  if (isResourceRangeError(name, message))
    return { code: "tool_resource_limit", message: `${text} (the program tried to build a value that is too large)` };
  return { code: "tool_failed", message: `Uncaught ${text}` };
}

const NOT_RUN_REASONS: Partial<Record<ErrorCode, string>> = {
  tool_timeout: "time limit reached",
  tool_resource_limit: "resource limit reached",
};

/** Why the tests after a failure were skipped, for their "not run: …" line. */
export function notRunReason(error: ErrorInfo): string {
  return NOT_RUN_REASONS[error.code] ?? "the code failed";
}
