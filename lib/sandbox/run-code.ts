import type { ErrorInfo } from "@/lib/errors";
import { IsolateSession } from "./isolate-session";
import { parseRunCodeRequest, type RunCodeLimits, type RunCodeRequest } from "./run-code-request";
import { notRunReason, outputLimitError, sandboxError, thrownError } from "./sandbox-errors";
import { cancelled, withSandboxSlot } from "./sandbox-slots";

/**
 * `runCode`: run JavaScript the agent wrote, treated as hostile input.
 *
 * Every call gets a fresh V8 isolate (`isolated-vm`) with its own heap limit and a fresh context
 * holding only the ECMAScript builtins plus a captured `console` and a tiny `assert`: no
 * `require`, `process`, `fs`, network, timers or `WebAssembly`. The code and then each test run
 * through a dispatcher that lives inside the isolate (see `./prelude`), which catches whatever the
 * code throws and hands back a small, capped JSON string; the host never touches an object the
 * code controls. All calls are async with a timeout (one wall-clock budget across code + tests),
 * backed by a host-side watchdog that disposes the isolate if isolated-vm itself ever fails to
 * return, so the host event loop is never blocked and `runCode` always settles.
 *
 * Note: on Node >= 20 isolated-vm requires `node --no-node-snapshot` (e.g. via
 * `NODE_OPTIONS=--no-node-snapshot`); see the report in the PR / README.
 */

export type { RunCodeLimits } from "./run-code-request";

export interface RunCodeTestResult {
  test: string;
  passed: boolean;
  error?: string;
}

export interface RunCodeResult {
  /** True when the code ran to completion and every test passed. */
  ok: boolean;
  /** The completion value of the code, stringified (REPL-like) and capped; absent when `undefined`. */
  result?: string;
  stdout: string;
  /** True when stdout or result was cut short. */
  truncated: boolean;
  tests: RunCodeTestResult[];
  passed: number;
  failed: number;
  durationMs: number;
  error?: ErrorInfo;
}

/**
 * isolated-vm's README: on Node >= 20 the process must start with `--no-node-snapshot` (v8's
 * shared read-only heap can crash the process when isolates come from different snapshots).
 * Flags cannot be set at run time, so `runCode` only warns once when it is missing.
 */
function hasNoNodeSnapshotFlag(): boolean {
  const major = Number(process.versions.node.split(".")[0]);
  if (major < 20) return true;
  const nodeOptions = (process.env.NODE_OPTIONS ?? "").split(/\s+/);
  return process.execArgv.includes("--no-node-snapshot") || nodeOptions.includes("--no-node-snapshot");
}

let flagWarningShown = false;
function warnAboutMissingFlagOnce(): void {
  if (flagWarningShown || hasNoNodeSnapshotFlag()) return;
  flagWarningShown = true;
  console.warn(
    "[run_code] Node was started without --no-node-snapshot, which isolated-vm requires on Node >= 20; set NODE_OPTIONS=--no-node-snapshot.",
  );
}

/**
 * Runs `request.code` and then each of `request.tests` in a fresh sandbox.
 *
 * Never throws for anything the code does: a broken or hostile program yields `ok: false` and
 * `error` (`tool_timeout`, `tool_resource_limit`, `tool_failed`). Throws `AppError`
 * (`tool_input_invalid`) when the request or the limits are invalid, and `aborted` when `signal`
 * aborts: a queued run leaves the queue, a running one has its isolate disposed at once, so
 * a client that went away or a turn past its deadline leaves no code running behind it.
 */
export async function runCode(
  request: RunCodeRequest,
  limits?: Partial<RunCodeLimits>,
  options: { signal?: AbortSignal } = {},
): Promise<RunCodeResult> {
  const parsed = parseRunCodeRequest(request, limits);
  warnAboutMissingFlagOnce();
  const { signal } = options;
  const result = await withSandboxSlot(() => runInFreshIsolate(parsed.code, parsed.tests, parsed.limits, signal), signal);
  if (signal?.aborted) throw cancelled();
  return result;
}

/** What running the code itself gave: its completion value, or the error that ended it. */
interface ProgramOutcome {
  result?: string;
  resultTruncated: boolean;
  error?: ErrorInfo;
}

async function runInFreshIsolate(
  code: string,
  tests: readonly string[],
  limits: RunCodeLimits,
  signal: AbortSignal | undefined,
): Promise<RunCodeResult> {
  const started = performance.now();
  let session: IsolateSession | undefined;
  let program: ProgramOutcome = { resultTruncated: false };
  const testResults: RunCodeTestResult[] = [];
  if (signal?.aborted) throw cancelled();
  const cancel = () => session?.cancel();
  signal?.addEventListener("abort", cancel, { once: true });
  try {
    session = new IsolateSession(limits);
    await session.installPrelude();
    program = await runProgram(session, code);
    program.error = await runTests(session, tests, program.error, testResults);
  } catch (caught) {
    // Failures of the sandbox machinery itself (isolate creation, context setup).
    program.error ??= session ? session.classify(caught) : sandboxError(String(caught));
  } finally {
    signal?.removeEventListener("abort", cancel);
    session?.dispose();
  }
  return shapeResult(session, program, testResults, started);
}

async function runProgram(session: IsolateSession, code: string): Promise<ProgramOutcome> {
  // Syntax check with a real script compile: the message carries the line and column.
  const syntaxError = await session.checkSyntax(code);
  session.startClock();
  if (syntaxError) return { resultTruncated: false, error: syntaxError };
  const outcome = await session.run("code", code);
  if (outcome.kind === "abort") return { resultTruncated: false, error: outcome.error };
  const { envelope } = outcome;
  if (envelope.status === "error") return { resultTruncated: false, error: thrownError(envelope.name, envelope.message) };
  if (envelope.value === undefined) return { resultTruncated: false };
  return { result: envelope.value, resultTruncated: envelope.truncated === true };
}

/**
 * Runs each test in turn, appending to `results`; after a failure of the run itself (not of a
 * test) the rest are marked not run. Returns the run's error, if any.
 */
async function runTests(
  session: IsolateSession,
  tests: readonly string[],
  runError: ErrorInfo | undefined,
  results: RunCodeTestResult[],
): Promise<ErrorInfo | undefined> {
  let error = runError;
  for (const test of tests) {
    if (error) {
      results.push({ test, passed: false, error: `not run: ${notRunReason(error)}` });
      continue;
    }
    const outcome = await session.run("test", test);
    if (outcome.kind === "abort") {
      error = outcome.error;
      results.push({ test, passed: false, error: error.message });
    } else if (outcome.envelope.status === "error") {
      const { name, message } = outcome.envelope;
      results.push({ test, passed: false, error: name === "AssertionError" ? message : `${name}: ${message}` });
    } else {
      results.push({ test, passed: true });
    }
  }
  return error;
}

function shapeResult(
  session: IsolateSession | undefined,
  program: ProgramOutcome,
  tests: RunCodeTestResult[],
  started: number,
): RunCodeResult {
  let error = program.error;
  if (session?.outputExceeded && error?.code !== "tool_resource_limit") error = outputLimitError(session.limits);
  const passed = tests.filter((t) => t.passed).length;
  const failed = tests.length - passed;
  return {
    ok: !error && failed === 0,
    ...(program.result !== undefined ? { result: program.result } : {}),
    stdout: session?.stdout ?? "",
    truncated: (session?.outputExceeded ?? false) || program.resultTruncated,
    tests,
    passed,
    failed,
    durationMs: Math.round(performance.now() - started),
    ...(error ? { error } : {}),
  };
}
