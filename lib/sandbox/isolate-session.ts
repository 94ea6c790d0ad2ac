import ivm from "isolated-vm";
import type { ErrorInfo } from "@/lib/errors";
import { truncate } from "@/lib/text/truncate";
import { MAX_MESSAGE_CHARS, MAX_RESULT_CHARS, parseEnvelope, type Aborted, type Dispatcher, type Envelope } from "./dispatcher-envelope";
import { PRELUDE_SOURCE } from "./prelude";
import type { RunCodeLimits } from "./run-code-request";
import { memoryLimitError, outputLimitError, sandboxError, timeLimitError } from "./sandbox-errors";
import { countIsolateCreated, countIsolateDisposed } from "./sandbox-slots";

/**
 * One sandbox run's isolate: created with its heap limit, given the prelude (captured console,
 * `assert`, the dispatcher), then driven one dispatcher command at a time under the run's
 * wall-clock budget, with a host-side watchdog in case isolated-vm itself never returns.
 */

/** Extra time the host waits beyond the budget before it disposes the isolate itself. */
const WATCHDOG_GRACE_MS = 500;

type Settled = Exclude<Envelope, { status: "pending" }>;
export type Outcome = { kind: "done"; envelope: Settled } | { kind: "abort"; error: ErrorInfo };

const utf8 = new TextEncoder();

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8, never splitting a character. */
function utf8Prefix(text: string, maxBytes: number): string {
  if (maxBytes <= 0) return "";
  const { read } = utf8.encodeInto(text, new Uint8Array(maxBytes));
  return text.slice(0, read);
}

export class IsolateSession {
  readonly isolate: ivm.Isolate;
  stdout = "";
  private stdoutBytes = 0;
  outputExceeded = false;
  private killedByHost = false;
  private catastrophic = false;
  private deadline = Number.POSITIVE_INFINITY;
  private dispatcher: Dispatcher | undefined;

  constructor(readonly limits: RunCodeLimits) {
    this.isolate = new ivm.Isolate({
      memoryLimit: limits.memoryMb,
      onCatastrophicError: (message: string) => {
        // v8 lost control of this isolate; the app should log and restart (isolated-vm's advice).
        this.catastrophic = true;
        console.error(`[run_code] isolated-vm catastrophic error: ${message}`);
      },
    });
    countIsolateCreated();
  }

  /** A fresh context holding the builtins plus the prelude; keeps the dispatcher it returns. */
  async installPrelude(): Promise<void> {
    const context = await this.isolate.createContext();
    const hook = `__ivm_${Math.random().toString(36).slice(2)}${Date.now().toString(36)}_`;
    const log = new ivm.Callback((text: unknown) => this.append(text));
    this.dispatcher = (await context.evalClosure(
      PRELUDE_SOURCE,
      [log, Math.max(64, this.limits.maxOutputBytes + 1), MAX_RESULT_CHARS, MAX_MESSAGE_CHARS, hook],
      { result: { reference: true } },
    )) as Dispatcher;
  }

  /** Compiles `code` as a script without running it: a syntax error's message carries the line and column. */
  async checkSyntax(code: string): Promise<ErrorInfo | undefined> {
    try {
      const script = await this.isolate.compileScript(code, { filename: "code.js" });
      script.release();
      return undefined;
    } catch (caught) {
      const message = caught instanceof Error ? caught.message : "invalid program";
      const name = caught instanceof Error && caught.name !== "Error" ? caught.name : "SyntaxError";
      return { code: "tool_failed", message: truncate(`${name}: ${message}`, MAX_MESSAGE_CHARS) };
    }
  }

  /** Starts the one wall-clock budget the code and all its tests share. */
  startClock(): void {
    this.deadline = performance.now() + this.limits.timeoutMs;
  }

  /** Host side of `console.*`: append a (bounded) chunk; `false` tells the isolate output is closed. */
  private append(text: unknown): boolean {
    if (this.outputExceeded) return false;
    if (typeof text !== "string") return true;
    const max = this.limits.maxOutputBytes;
    const bytes = Buffer.byteLength(text, "utf8");
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

  private kill(): void {
    this.killedByHost = true;
    if (!this.isolate.isDisposed) this.isolate.dispose();
  }

  /** The caller gave up: stop the code now (a call in flight rejects, no later call starts). */
  cancel(): void {
    this.kill();
  }

  dispose(): void {
    try {
      this.dispatcher?.release();
    } catch {
      // already gone with the isolate
    }
    if (!this.isolate.isDisposed) this.isolate.dispose();
    countIsolateDisposed();
  }

  /** Maps a failure of the sandbox call itself (not an error the code threw) to an error. */
  classify(error: unknown): ErrorInfo {
    const message = error instanceof Error ? error.message : "";
    if (this.outputExceeded) return outputLimitError(this.limits);
    if (this.catastrophic) return { code: "tool_failed", message: "The sandbox crashed" };
    if (/memory limit/i.test(message) || (this.isolate.isDisposed && !this.killedByHost)) return memoryLimitError(this.limits);
    if (/timed out/i.test(message) || this.killedByHost) return timeLimitError(this.limits);
    return sandboxError(message);
  }

  /** Runs one dispatcher command under the remaining budget, with a host-side watchdog. */
  private async invoke(command: "code" | "test" | "settle", source: string): Promise<Envelope | Aborted> {
    const dispatcher = this.dispatcher;
    if (!dispatcher || this.isolate.isDisposed) return { status: "abort", error: this.classify(undefined) };
    const remaining = this.deadline - performance.now();
    if (remaining <= 0) return { status: "abort", error: timeLimitError(this.limits) };
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
        return { status: "abort", error: timeLimitError(this.limits) };
      }
      if (this.outputExceeded) return { status: "abort", error: outputLimitError(this.limits) };
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
