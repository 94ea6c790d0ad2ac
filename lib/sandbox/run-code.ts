import ivm from "isolated-vm";
import { z } from "zod";
import { AppError, type ErrorCode } from "@/lib/errors";
import { PRELUDE_SOURCE } from "./prelude";

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

export const MAX_CODE_BYTES = 20 * 1024;
export const MAX_TESTS = 50;
export const MAX_TEST_BYTES = 2 * 1024;

export const DEFAULT_RUN_CODE_LIMITS: RunCodeLimits = Object.freeze({
  timeoutMs: 2000,
  memoryMb: 32,
  maxOutputBytes: 16 * 1024,
});

/** Max characters of the completion value (`result`) and of each message handed back. */
const MAX_RESULT_CHARS = 4096;
const MAX_MESSAGE_CHARS = 1000;
/** Extra time the host waits beyond the budget before it disposes the isolate itself. */
const WATCHDOG_GRACE_MS = 500;
/** Sandboxes running at once in this process; further calls wait their turn (not on the clock). */
const MAX_CONCURRENT = 4;

const utf8 = new TextEncoder();
const byteLength = (text: string): number => Buffer.byteLength(text, "utf8");

export const runCodeRequestSchema = z.object({
  code: z
    .string({ error: "code must be a string" })
    .refine((code) => code.trim().length > 0, "code must not be empty")
    .refine((code) => byteLength(code) <= MAX_CODE_BYTES, `code must be at most ${MAX_CODE_BYTES} bytes`),
  tests: z
    .array(
      z
        .string({ error: "each test must be a string" })
        .refine((test) => test.trim().length > 0, "a test must not be empty")
        .refine((test) => byteLength(test) <= MAX_TEST_BYTES, `each test must be at most ${MAX_TEST_BYTES} bytes`),
      { error: "tests must be an array of strings" },
    )
    .max(MAX_TESTS, `at most ${MAX_TESTS} tests`)
    .optional(),
});
export type RunCodeRequest = z.infer<typeof runCodeRequestSchema>;

export const runCodeLimitsSchema = z.object({
  timeoutMs: z.number().int().min(1).max(60_000),
  memoryMb: z.number().int().min(8).max(1024),
  maxOutputBytes: z
    .number()
    .int()
    .min(64)
    .max(1024 * 1024),
});
export interface RunCodeLimits {
  /** Wall-clock budget for the code and all tests together. */
  timeoutMs: number;
  /** V8 heap limit of the isolate (isolated-vm's `memoryLimit`; a guideline, not exact). */
  memoryMb: number;
  /** Captured console output kept; more ends the run with `tool_resource_limit`. */
  maxOutputBytes: number;
}

export interface RunCodeTestResult {
  test: string;
  passed: boolean;
  error?: string;
}

export interface RunCodeError {
  code: ErrorCode;
  message: string;
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
  error?: RunCodeError;
}

/**
 * isolated-vm's README: on Node >= 20 the process must start with `--no-node-snapshot` (v8's
 * shared read-only heap can crash the process when isolates come from different snapshots).
 * Flags cannot be set at run time, so `runCode` only warns once when it is missing.
 */
export function hasNoNodeSnapshotFlag(): boolean {
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

// --- process-wide bookkeeping (also lets tests check that isolates are disposed) -------------

let liveIsolates = 0;
let createdIsolates = 0;
let running = 0;
const waiting: (() => void)[] = [];

/** Counts for tests and monitoring: isolates alive now and created since start. */
export function sandboxStats(): { live: number; created: number; running: number; queued: number } {
  return { live: liveIsolates, created: createdIsolates, running, queued: waiting.length };
}

async function acquireSlot(): Promise<void> {
  if (running < MAX_CONCURRENT) {
    running++;
    return;
  }
  await new Promise<void>((resolve) => waiting.push(resolve));
}

function releaseSlot(): void {
  const next = waiting.shift();
  if (next) next();
  else running--;
}

// --- envelope from the in-isolate dispatcher ------------------------------------------------

const envelopeSchema = z.discriminatedUnion("status", [
  z.object({
    status: z.literal("ok"),
    value: z.string().optional(),
    undefined: z.literal(true).optional(),
    truncated: z.literal(true).optional(),
  }),
  z.object({ status: z.literal("error"), name: z.string(), message: z.string() }),
  z.object({ status: z.literal("pending") }),
]);
type Envelope = z.infer<typeof envelopeSchema>;
type Settled = Exclude<Envelope, { status: "pending" }>;
type Outcome = { kind: "done"; envelope: Settled } | { kind: "abort"; error: RunCodeError };

const ENVELOPE_MAX_CHARS = MAX_RESULT_CHARS + 2 * MAX_MESSAGE_CHARS + 1000;

type Dispatcher = ivm.Reference<(command: string, source: string) => string>;

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8, never splitting a character. */
function utf8Prefix(text: string, maxBytes: number): string {
  if (maxBytes <= 0) return "";
  const { read } = utf8.encodeInto(text, new Uint8Array(maxBytes));
  return text.slice(0, read);
}

/** Range errors that mean "too big" rather than "wrong". */
function isResourceRangeError(name: string, message: string): boolean {
  return (
    name === "RangeError" &&
    /Invalid string length|Array buffer allocation failed|Invalid typed array length|Invalid array buffer length/.test(message)
  );
}

class Session {
  readonly isolate: ivm.Isolate;
  stdout = "";
  private stdoutBytes = 0;
  outputExceeded = false;
  killedByHost = false;
  catastrophic = false;
  deadline = Number.POSITIVE_INFINITY;
  dispatcher: Dispatcher | undefined;

  constructor(readonly limits: RunCodeLimits) {
    this.isolate = new ivm.Isolate({
      memoryLimit: limits.memoryMb,
      onCatastrophicError: (message: string) => {
        // v8 lost control of this isolate; the app should log and restart (isolated-vm's advice).
        this.catastrophic = true;
        console.error(`[run_code] isolated-vm catastrophic error: ${message}`);
      },
    });
    liveIsolates++;
    createdIsolates++;
  }

  /** Host side of `console.*`: append a (bounded) chunk; `false` tells the isolate output is closed. */
  append(text: unknown): boolean {
    if (this.outputExceeded) return false;
    if (typeof text !== "string") return true;
    const max = this.limits.maxOutputBytes;
    const bytes = byteLength(text);
    if (this.stdoutBytes + bytes <= max) {
      this.stdout += text;
      this.stdoutBytes += bytes;
      return true;
    }
    this.stdout += utf8Prefix(text, max - this.stdoutBytes);
    this.stdout += `\n…[output truncated: more than ${max} bytes]`;
    this.stdoutBytes = max;
    this.outputExceeded = true;
    return false;
  }

  kill(): void {
    this.killedByHost = true;
    if (!this.isolate.isDisposed) this.isolate.dispose();
  }

  dispose(): void {
    try {
      this.dispatcher?.release();
    } catch {
      // already gone with the isolate
    }
    if (!this.isolate.isDisposed) this.isolate.dispose();
    liveIsolates--;
  }

  private timeoutError(): RunCodeError {
    return {
      code: "tool_timeout",
      message: `Time limit exceeded: the code and its tests may run for ${this.limits.timeoutMs} ms in total (infinite loop?)`,
    };
  }

  /** Maps a failure of the sandbox call itself (not an error the code threw) to an error. */
  classify(error: unknown): RunCodeError {
    const message = error instanceof Error ? error.message : "";
    if (this.outputExceeded) return this.outputError();
    if (this.catastrophic) return { code: "tool_failed", message: "The sandbox crashed" };
    if (/memory limit/i.test(message) || (this.isolate.isDisposed && !this.killedByHost)) {
      return {
        code: "tool_resource_limit",
        message: `Memory limit exceeded: the sandbox may use about ${this.limits.memoryMb} MB`,
      };
    }
    if (/timed out/i.test(message) || this.killedByHost) return this.timeoutError();
    return { code: "tool_failed", message: `Sandbox error: ${cut(message, 300)}` };
  }

  outputError(): RunCodeError {
    return {
      code: "tool_resource_limit",
      message: `Output limit exceeded: console output may be at most ${this.limits.maxOutputBytes} bytes`,
    };
  }

  /** Runs one dispatcher command under the remaining budget, with a host-side watchdog. */
  async invoke(command: "code" | "test" | "settle", source: string): Promise<Envelope | { status: "abort"; error: RunCodeError }> {
    const dispatcher = this.dispatcher;
    if (!dispatcher || this.isolate.isDisposed) return { status: "abort", error: this.classify(undefined) };
    const remaining = this.deadline - performance.now();
    if (remaining <= 0) return { status: "abort", error: this.timeoutError() };
    let timer: NodeJS.Timeout | undefined;
    const watchdog = new Promise<"watchdog">((resolve) => {
      timer = setTimeout(() => resolve("watchdog"), remaining + WATCHDOG_GRACE_MS);
    });
    const call = dispatcher.apply(undefined, [command, source], {
      arguments: { copy: true },
      result: { copy: true },
      timeout: Math.max(1, Math.ceil(remaining)),
    });
    // If the watchdog wins, the call may still reject later: never leave that unhandled.
    call.catch(() => undefined);
    try {
      const winner = await Promise.race([call.then((value: unknown) => ({ value })), watchdog]);
      if (winner === "watchdog") {
        this.kill();
        return { status: "abort", error: this.timeoutError() };
      }
      if (this.outputExceeded) return { status: "abort", error: this.outputError() };
      return parseEnvelope(winner.value);
    } catch (error) {
      return { status: "abort", error: this.classify(error) };
    } finally {
      clearTimeout(timer);
    }
  }

  /** `invoke`, then one "settle" round if the code returned a promise. */
  async run(command: "code" | "test", source: string): Promise<Outcome> {
    let envelope = await this.invoke(command, source);
    if (envelope.status === "pending") envelope = await this.invoke("settle", "");
    if (envelope.status === "abort") return { kind: "abort", error: envelope.error };
    if (envelope.status === "pending") {
      return { kind: "abort", error: { code: "tool_failed", message: "The sandbox returned an unexpected result" } };
    }
    return { kind: "done", envelope };
  }
}

function parseEnvelope(value: unknown): Envelope | { status: "abort"; error: RunCodeError } {
  const malformed = {
    status: "abort" as const,
    error: { code: "tool_failed" as const, message: "The sandbox returned a malformed result" },
  };
  if (typeof value !== "string" || value.length > ENVELOPE_MAX_CHARS) return malformed;
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return malformed;
  }
  const parsed = envelopeSchema.safeParse(json);
  return parsed.success ? parsed.data : malformed;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}

/**
 * Runs `request.code` and then each of `request.tests` in a fresh sandbox.
 *
 * Never throws for anything the code does: a broken or hostile program yields `ok: false` and
 * `error` (`tool_timeout`, `tool_resource_limit`, `tool_failed`). Throws `AppError`
 * (`tool_input_invalid`) only when the request or the limits are invalid.
 */
export async function runCode(request: RunCodeRequest, limits?: Partial<RunCodeLimits>): Promise<RunCodeResult> {
  const parsedRequest = runCodeRequestSchema.safeParse(request);
  if (!parsedRequest.success) throw new AppError("tool_input_invalid", describeIssues(parsedRequest.error));
  const parsedLimits = runCodeLimitsSchema.safeParse({ ...DEFAULT_RUN_CODE_LIMITS, ...stripUndefined(limits) });
  if (!parsedLimits.success) throw new AppError("tool_input_invalid", `invalid limits: ${describeIssues(parsedLimits.error)}`);
  const { code, tests = [] } = parsedRequest.data;
  const effective = parsedLimits.data;
  warnAboutMissingFlagOnce();

  await acquireSlot();
  const started = performance.now();
  let session: Session | undefined;
  let result: string | undefined;
  let resultTruncated = false;
  let error: RunCodeError | undefined;
  const testResults: RunCodeTestResult[] = [];
  try {
    session = new Session(effective);
    const context = await session.isolate.createContext();
    const hook = `__ivm_${Math.random().toString(36).slice(2)}${Date.now().toString(36)}_`;
    const log = new ivm.Callback((text: unknown) => session?.append(text) ?? false);
    session.dispatcher = (await context.evalClosure(
      PRELUDE_SOURCE,
      [log, Math.max(64, effective.maxOutputBytes + 1), MAX_RESULT_CHARS, MAX_MESSAGE_CHARS, hook],
      { result: { reference: true } },
    )) as Dispatcher;

    // Syntax check with a real script compile: the message carries the line and column.
    error = await checkSyntax(session.isolate, code);

    session.deadline = performance.now() + effective.timeoutMs;
    if (!error) {
      const outcome = await session.run("code", code);
      if (outcome.kind === "abort") error = outcome.error;
      else if (outcome.envelope.status === "error") error = thrownError(outcome.envelope.name, outcome.envelope.message);
      else if (outcome.envelope.value !== undefined) {
        result = outcome.envelope.value;
        resultTruncated = outcome.envelope.truncated === true;
      }
    }

    for (const test of tests) {
      if (error) {
        testResults.push({ test, passed: false, error: `not run: ${notRunReason(error)}` });
        continue;
      }
      const outcome = await session.run("test", test);
      if (outcome.kind === "abort") {
        error = outcome.error;
        testResults.push({ test, passed: false, error: error.message });
      } else if (outcome.envelope.status === "error") {
        const { name, message } = outcome.envelope;
        testResults.push({ test, passed: false, error: name === "AssertionError" ? message : `${name}: ${message}` });
      } else {
        testResults.push({ test, passed: true });
      }
    }
  } catch (caught) {
    // Failures of the sandbox machinery itself (isolate creation, context setup).
    error ??= session ? session.classify(caught) : { code: "tool_failed", message: `Sandbox error: ${cut(String(caught), 300)}` };
  } finally {
    session?.dispose();
    releaseSlot();
  }

  if (session?.outputExceeded && error?.code !== "tool_resource_limit") error = session.outputError();
  const passed = testResults.filter((t) => t.passed).length;
  const failed = testResults.length - passed;
  return {
    ok: !error && failed === 0,
    ...(result !== undefined ? { result } : {}),
    stdout: session?.stdout ?? "",
    truncated: (session?.outputExceeded ?? false) || resultTruncated,
    tests: testResults,
    passed,
    failed,
    durationMs: Math.round(performance.now() - started),
    ...(error ? { error } : {}),
  };
}

function stripUndefined(limits: Partial<RunCodeLimits> | undefined): Partial<RunCodeLimits> {
  const out: Partial<RunCodeLimits> = {};
  if (!limits) return out;
  if (limits.timeoutMs !== undefined) out.timeoutMs = limits.timeoutMs;
  if (limits.memoryMb !== undefined) out.memoryMb = limits.memoryMb;
  if (limits.maxOutputBytes !== undefined) out.maxOutputBytes = limits.maxOutputBytes;
  return out;
}

async function checkSyntax(isolate: ivm.Isolate, code: string): Promise<RunCodeError | undefined> {
  try {
    const script = await isolate.compileScript(code, { filename: "code.js" });
    script.release();
    return undefined;
  } catch (caught) {
    const message = caught instanceof Error ? caught.message : "invalid program";
    const name = caught instanceof Error && caught.name !== "Error" ? caught.name : "SyntaxError";
    return { code: "tool_failed", message: cut(`${name}: ${message}`, MAX_MESSAGE_CHARS) };
  }
}

function thrownError(name: string, message: string): RunCodeError {
  const text = cut(`${name}: ${message}`, MAX_MESSAGE_CHARS);
  if (isResourceRangeError(name, message))
    return { code: "tool_resource_limit", message: `${text} (the program tried to build a value that is too large)` };
  return { code: "tool_failed", message: `Uncaught ${text}` };
}

function notRunReason(error: RunCodeError): string {
  switch (error.code) {
    case "tool_timeout":
      return "time limit reached";
    case "tool_resource_limit":
      return "resource limit reached";
    default:
      return "the code failed";
  }
}
