import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { AppError, type ErrorInfo } from "@/lib/errors";
import { BLOCKED_MARKER, pythonPreamble } from "./python-preamble";

/**
 * `runPython`: runs Python program text (a model's HumanEval completion and its tests) as
 * hostile input. The app's `run_code` sandbox (isolated-vm) runs JavaScript only, so Python gets
 * a PROCESS sandbox, not a VM: a fresh `python3 -I` process per call in an empty temp dir, with
 *
 * - an empty environment, stdin closed, its own process group killed at the wall-clock limit;
 * - hard rlimits set before the program runs: address space (memory), CPU seconds, file size,
 *   open files, core dumps off, RLIMIT_NPROC 0 (fork fails);
 * - the network cut with a new network namespace (`unshare -n`, or `-rn` without root) when the
 *   machine allows it, detected once and reported in every result;
 * - when the host runs as root: the program runs as `nobody` (setpriv), so the kernel refuses
 *   writes to files it does not own and RLIMIT_NPROC applies (root is exempt from it);
 * - an audit hook (python-preamble.ts) that blocks process spawning, ctypes, sockets, signals
 *   and writes outside the temp dir; its state lives in a closure the program cannot reach (the
 *   program runs in a module of its own, and frames and gc's view of every object are blocked);
 * - output capped (16 KB by default, like run_code); more kills the run.
 *
 * What it does NOT protect against: reading files the user may read (as `nobody`: world-readable
 * files only), a kernel or interpreter exploit, a determined escape from the audit hook (PEP 578
 * hooks are not a security boundary), CPU and memory pressure on the host up to the limits. Run
 * code from untrusted users in a container or VM (gVisor, Firecracker, nsjail), not this.
 */

export interface PythonRunLimits {
  /** Wall-clock limit; the process group is killed when it passes. */
  timeoutMs: number;
  /** RLIMIT_AS: virtual memory of the interpreter and program together. */
  memoryMb: number;
  /** stdout + stderr kept; more ends the run with `tool_resource_limit`. */
  maxOutputBytes: number;
  /** RLIMIT_FSIZE: the largest file the program may write (in its temp dir). */
  fileSizeBytes: number;
}

export const DEFAULT_PYTHON_LIMITS: Readonly<PythonRunLimits> = Object.freeze({
  timeoutMs: 5000,
  memoryMb: 512,
  maxOutputBytes: 16 * 1024,
  fileSizeBytes: 1024 * 1024,
});

export interface PythonIsolation {
  interpreter: string;
  /** "namespace": no network interface but loopback; "none": the host's network (only the audit hook). */
  network: "namespace" | "none";
  /** "nobody": dropped from root to uid/gid 65534; "unchanged": the host's user. */
  user: "nobody" | "unchanged";
}

export interface PythonRunResult {
  /** Exit status 0, in time, within the output cap. */
  ok: boolean;
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  truncated: boolean;
  durationMs: number;
  /** The operation the audit hook refused, when one was. */
  blocked?: string;
  error?: ErrorInfo;
  isolation: PythonIsolation;
}

const NOBODY = 65534;
// Nothing from the host's environment reaches the program (keys, paths, proxies). The cast:
// Next.js's types declare NODE_ENV as always present in ProcessEnv.
const EMPTY_ENV = {} as NodeJS.ProcessEnv;
const OPEN_FILES = 64;

let detected: (PythonIsolation & { prefix: string[] }) | undefined;

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

const works = (command: string, args: string[]) =>
  spawnSync(command, args, { cwd: os.tmpdir(), env: EMPTY_ENV, stdio: "ignore", timeout: 10_000 }).status === 0;

/**
 * Finds the interpreter and what isolation this machine allows, once per process. The real
 * interpreter path, not a shim on PATH: pyenv shims are shell scripts that need the environment
 * the sandbox takes away, and may sit where `nobody` cannot reach.
 */
export function detectPythonIsolation(): PythonIsolation & { prefix: string[] } {
  if (detected) return detected;
  const probe = spawnSync("python3", ["-c", "import sys; print(sys.executable)"], { encoding: "utf8", timeout: 10_000 });
  const interpreter = probe.status === 0 ? probe.stdout.trim() : "";
  if (!interpreter) throw new AppError("tool_failed", "python3 was not found on PATH; HumanEval needs Python 3.8 or later");

  const prefix: string[] = [];
  let chosen = interpreter;
  let user: PythonIsolation["user"] = "unchanged";
  const isRoot = process.getuid?.() === 0;
  const unshare = onPath("unshare");
  const setpriv = onPath("setpriv");
  let network: PythonIsolation["network"] = "none";
  if (unshare && works(unshare, [isRoot ? "-n" : "-rn", "--", interpreter, "-I", "-c", "pass"])) {
    network = "namespace";
    prefix.push(unshare, isRoot ? "-n" : "-rn", "--");
  }
  if (isRoot && setpriv) {
    const drop = [setpriv, `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", "--no-new-privs", "--"];
    // The interpreter may live under /root (pyenv), out of nobody's reach: the system one will do.
    const usable = [interpreter, "/usr/bin/python3"].find((candidate) =>
      works(drop[0]!, [...drop.slice(1), candidate, "-I", "-c", "pass"]),
    );
    if (usable) {
      prefix.push(...drop);
      chosen = usable;
      user = "nobody";
    }
  }
  detected = { interpreter: chosen, network, user, prefix };
  return detected;
}

function classify(result: Omit<PythonRunResult, "ok" | "error" | "isolation" | "blocked">, timedOut: boolean, limits: PythonRunLimits) {
  const blockedLine = result.stderr.split("\n").find((line) => line.includes(BLOCKED_MARKER));
  const blocked = blockedLine ? blockedLine.slice(blockedLine.indexOf(BLOCKED_MARKER) + BLOCKED_MARKER.length).trim() : undefined;
  let error: PythonRunResult["error"];
  if (timedOut || result.signal === "SIGXCPU") {
    error = { code: "tool_timeout", message: `Python ran past its ${limits.timeoutMs} ms limit` };
  } else if (result.truncated) {
    error = { code: "tool_resource_limit", message: `Python wrote more than ${limits.maxOutputBytes} bytes of output` };
  } else if (/\bMemoryError\b/.test(result.stderr) || (result.signal !== null && result.exitCode === null && result.signal !== "SIGTERM")) {
    error = {
      code: "tool_resource_limit",
      message: `Python hit the ${limits.memoryMb} MB memory limit (${result.signal ?? "MemoryError"})`,
    };
  } else if (/\[Errno 27\] File too large/.test(result.stderr)) {
    error = { code: "tool_resource_limit", message: `Python tried to write a file over ${limits.fileSizeBytes} bytes` };
  } else if (result.exitCode !== 0) {
    const last = result.stderr.trim().split("\n").at(-1) ?? "";
    error = { code: "tool_failed", message: blocked ? `blocked by the sandbox: ${blocked}` : last || `exit status ${result.exitCode}` };
  }
  return { blocked, error };
}

/** Writes the preamble and the program into `dir`, readable by the user the program runs as, and closes `dir` to others. */
function prepareSandboxDir(dir: string, program: string, limits: PythonRunLimits, isolation: PythonIsolation): void {
  const preamble = pythonPreamble({
    addressSpaceBytes: limits.memoryMb * 1024 * 1024,
    cpuSeconds: Math.ceil(limits.timeoutMs / 1000) + 1,
    fileSizeBytes: limits.fileSizeBytes,
    openFiles: OPEN_FILES,
  });
  fs.writeFileSync(path.join(dir, "runner.py"), preamble, { mode: 0o644 });
  fs.writeFileSync(path.join(dir, "program.py"), program, { mode: 0o644 });
  if (isolation.user === "nobody") {
    for (const name of ["", "runner.py", "program.py"]) fs.chownSync(path.join(dir, name), NOBODY, NOBODY);
  }
  fs.chmodSync(dir, 0o700);
}

interface ProcessOutcome {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  truncated: boolean;
  timedOut: boolean;
}

/**
 * Runs the interpreter on `runner.py` in `dir` in its own process group, keeping at most
 * `maxOutputBytes` of stdout + stderr; the group is killed when the output overflows, when the
 * wall-clock limit passes, and once the interpreter exits (anything it left behind goes too).
 */
async function runInterpreter(
  dir: string,
  isolation: PythonIsolation & { prefix: string[] },
  limits: PythonRunLimits,
): Promise<ProcessOutcome> {
  const [command, ...prefixArgs] = [...isolation.prefix, isolation.interpreter];
  const child = spawn(command, [...prefixArgs, "-I", "-B", "runner.py"], {
    cwd: dir,
    env: EMPTY_ENV,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const killGroup = () => {
    try {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  let kept = 0;
  let truncated = false;
  let timedOut = false;
  const collect = (stream: "stdout" | "stderr") => (chunk: Buffer) => {
    if (truncated) return;
    const room = limits.maxOutputBytes - kept;
    if (chunk.length > room) {
      chunks[stream].push(chunk.subarray(0, room));
      kept = limits.maxOutputBytes;
      truncated = true;
      killGroup();
      return;
    }
    chunks[stream].push(chunk);
    kept += chunk.length;
  };
  child.stdout.on("data", collect("stdout"));
  child.stderr.on("data", collect("stderr"));
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, limits.timeoutMs);
  const { exitCode, signal } = await new Promise<{ exitCode: number | null; signal: string | null }>((resolve) => {
    child.on("error", (error) => {
      chunks.stderr.push(Buffer.from(String(error)));
      resolve({ exitCode: null, signal: null });
    });
    child.on("close", (code, sig) => resolve({ exitCode: code, signal: sig }));
  });
  clearTimeout(timer);
  // Anything the program left behind in its group (it should not be able to fork) goes too.
  killGroup();
  const text = (stream: "stdout" | "stderr") => Buffer.concat(chunks[stream]).toString("utf8");
  return { exitCode, signal, stdout: text("stdout"), stderr: text("stderr"), truncated, timedOut };
}

/** Runs `program` in a fresh sandboxed interpreter; never throws for anything the program does. */
export async function runPython(program: string, overrides: Partial<PythonRunLimits> = {}): Promise<PythonRunResult> {
  const limits = { ...DEFAULT_PYTHON_LIMITS, ...overrides };
  const isolation = detectPythonIsolation();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pysandbox-"));
  const started = performance.now();
  try {
    prepareSandboxDir(dir, program, limits, isolation);
    const { timedOut, ...outcome } = await runInterpreter(dir, isolation, limits);
    const base = { ...outcome, durationMs: Math.round(performance.now() - started) };
    const { blocked, error } = classify(base, timedOut, limits);
    const { prefix: _prefix, ...publicIsolation } = isolation;
    return {
      ok: !error && outcome.exitCode === 0,
      ...base,
      ...(blocked ? { blocked } : {}),
      ...(error ? { error } : {}),
      isolation: publicIsolation,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
