import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { access, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { AppError } from "../errors";

/**
 * A real Arize Phoenix server, run from a project-local Python venv (`.phoenix/venv`,
 * gitignored) that holds the `arize-phoenix` version pinned in
 * `scripts/phoenix-requirements.txt`. Used by `npm run phoenix` and by integration tests;
 * the app itself only ever talks to Phoenix over HTTP (OTLP export, REST API).
 */

export const PHOENIX_DIR = ".phoenix";
export const REQUIREMENTS_FILE = path.join("scripts", "phoenix-requirements.txt");
/** arize-phoenix 20.x declares `Requires-Python: >=3.11,<3.15`. */
const MIN_PYTHON: readonly [number, number] = [3, 11];
const MARKER_FILE = ".requirements.sha256";
const OUTPUT_TAIL_LINES = 40;

export function phoenixVenvDir(root: string): string {
  return path.join(root, PHOENIX_DIR, "venv");
}

function venvBin(venvDir: string, name: string): string {
  return path.join(venvDir, "bin", name);
}

/** Keeps the last lines of a process's output: enough to explain a failure, bounded in memory. */
class OutputTail {
  private readonly lines: string[] = [];
  private partial = "";

  constructor(
    private readonly max = OUTPUT_TAIL_LINES,
    private readonly onLine?: (line: string) => void,
  ) {}

  push(chunk: Buffer | string): void {
    const parts = (this.partial + chunk.toString()).split(/\r?\n/);
    this.partial = parts.pop() ?? "";
    for (const line of parts) this.add(line);
  }

  text(): string {
    if (this.partial) {
      this.add(this.partial);
      this.partial = "";
    }
    return this.lines.join("\n");
  }

  private add(line: string): void {
    this.onLine?.(line);
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.shift();
  }
}

interface RunResult {
  code: number | null;
  output: string;
  spawnError?: NodeJS.ErrnoException;
}

/** Runs a command to completion; stdout and stderr are merged into one tail (pip interleaves them). */
function runCommand(command: string, args: string[], onLine?: (line: string) => void): Promise<RunResult> {
  return new Promise((resolve) => {
    const tail = new OutputTail(OUTPUT_TAIL_LINES, onLine);
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, PIP_NO_INPUT: "1" } });
    child.stdout.on("data", (chunk: Buffer) => tail.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => tail.push(chunk));
    child.once("error", (error: NodeJS.ErrnoException) => resolve({ code: null, output: tail.text(), spawnError: error }));
    child.once("close", (code) => resolve({ code, output: tail.text() }));
  });
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

async function checkPython(python: string): Promise<void> {
  const result = await runCommand(python, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"]);
  if (result.spawnError?.code === "ENOENT") {
    throw new AppError(
      "phoenix_install_failed",
      `${python} was not found. Phoenix runs from a Python venv: install Python ${MIN_PYTHON.join(".")}+ with venv and pip (Debian/Ubuntu: apt-get install python3 python3-venv).`,
    );
  }
  const match = /^(\d+)\.(\d+)/.exec(result.output.trim());
  if (result.code !== 0 || !match) {
    throw new AppError("phoenix_install_failed", `${python} did not run: ${result.spawnError?.message ?? result.output}`);
  }
  const [major, minor] = [Number(match[1]), Number(match[2])];
  if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
    throw new AppError(
      "phoenix_install_failed",
      `${python} is Python ${major}.${minor}; arize-phoenix needs ${MIN_PYTHON.join(".")} or newer (set PYTHON to another interpreter).`,
    );
  }
}

export interface EnsurePhoenixVenvOptions {
  /** The repository root: the venv goes to `<root>/.phoenix/venv`. */
  root: string;
  /** Human-readable progress lines (venv creation, pip's "Collecting …"/"Installing …"). */
  onProgress?: (message: string) => void;
  /** The interpreter that creates the venv (default `python3`). */
  python?: string;
  /** Default `<root>/scripts/phoenix-requirements.txt`. */
  requirementsPath?: string;
}

export interface PhoenixVenv {
  venvDir: string;
  phoenixBin: string;
  /** false when the venv was already up to date and nothing ran. */
  installed: boolean;
}

/**
 * Creates `.phoenix/venv` and pip-installs the pinned requirements. Idempotent: a marker
 * file in the venv holds the sha256 of the requirements it was built from, so a second
 * call with nothing changed only hashes one small file. The marker is removed before pip
 * runs and written after it succeeds, so an interrupted install is redone, not trusted.
 */
export async function ensurePhoenixVenv(options: EnsurePhoenixVenvOptions): Promise<PhoenixVenv> {
  const { root, onProgress = () => {}, python = "python3" } = options;
  const requirementsPath = path.resolve(root, options.requirementsPath ?? REQUIREMENTS_FILE);
  const venvDir = phoenixVenvDir(root);
  const phoenixBin = venvBin(venvDir, "phoenix");
  const marker = path.join(venvDir, MARKER_FILE);

  let requirements: string;
  try {
    requirements = await readFile(requirementsPath, "utf8");
  } catch (error) {
    throw new AppError("phoenix_install_failed", `cannot read ${requirementsPath}`, { cause: error });
  }
  const digest = createHash("sha256").update(requirements).digest("hex");
  const current = await readFile(marker, "utf8").catch(() => "");
  if (current.trim() === digest && (await exists(phoenixBin))) {
    return { venvDir, phoenixBin, installed: false };
  }

  await checkPython(python);
  await rm(marker, { force: true });
  if (!(await exists(venvBin(venvDir, "python")))) {
    onProgress(`Creating a Python venv in ${path.relative(root, venvDir) || venvDir}`);
    await mkdir(path.dirname(venvDir), { recursive: true });
    const created = await runCommand(python, ["-m", "venv", "--clear", venvDir]);
    if (created.code !== 0) {
      throw new AppError(
        "phoenix_install_failed",
        `${python} -m venv failed (on Debian/Ubuntu: apt-get install python3-venv):\n${created.spawnError?.message ?? created.output}`,
      );
    }
  }

  const pins = requirements
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
  onProgress(`Installing ${pins.join(", ")} with pip (first time: a few minutes, ~850 MB)`);
  // Only pip's milestones are forwarded: its full output is hundreds of lines per install.
  const milestone = /^(Collecting|Installing collected|Successfully installed)/;
  const installed = await runCommand(
    venvBin(venvDir, "python"),
    ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", "-r", requirementsPath],
    (line) => {
      if (milestone.test(line)) onProgress(line.length > 160 ? `${line.slice(0, 157)}...` : line);
    },
  );
  if (installed.code !== 0 || !(await exists(phoenixBin))) {
    const why = installed.spawnError?.message ?? `pip exited with ${installed.code}`;
    throw new AppError("phoenix_install_failed", `pip install -r ${requirementsPath} failed (${why}). Last lines:\n${installed.output}`);
  }
  await writeFile(marker, `${digest}\n`);
  return { venvDir, phoenixBin, installed: true };
}

/** A port the OS considers free right now on `host` (for tests: there is a small race until it is bound). */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error("no port assigned"))));
    });
  });
}

/** Whether something already accepts connections on host:port (a stale Phoenix, another app). */
function portInUse(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: host.replace(/^\[(.*)\]$/, "$1"), port });
    socket.setTimeout(1_000);
    const done = (inUse: boolean) => {
      socket.destroy();
      resolve(inUse);
    };
    socket.once("connect", () => done(true));
    socket.once("timeout", () => done(false));
    socket.once("error", () => done(false));
  });
}

/** Where to connect to a server bound to `host`: a wildcard bind address means the loopback. */
export function connectHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
}

export interface StartPhoenixOptions {
  root: string;
  host?: string;
  port: number;
  /** Phoenix also serves OTLP over gRPC; it must not collide with another Phoenix (default 4317). */
  grpcPort?: number;
  /** Where Phoenix keeps its SQLite database (created when missing). */
  workingDir: string;
  /** Project for spans that carry no `openinference.project.name` (PHOENIX_PROJECT_NAME). */
  projectName?: string;
  /** "pipe" keeps Phoenix's output to itself (only its tail, for errors); "inherit" also prints it. */
  stdio?: "pipe" | "inherit";
  /** Extra environment for the server; `undefined` removes an inherited variable. */
  env?: Record<string, string | undefined>;
  startupTimeoutMs?: number;
}

export interface RunningPhoenix {
  /** Base URL of the UI and of the REST API (`/v1/...`). */
  url: string;
  /** OTLP/HTTP traces endpoint (protobuf or JSON). */
  otlpTracesUrl: string;
  pid: number;
  /** SIGTERM, then SIGKILL after a grace period; resolves once the process has exited. */
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 10_000;

/**
 * Spawns `<venv>/bin/phoenix serve` and resolves once GET /healthz answers 200. Rejects
 * (with the tail of Phoenix's output) if it exits first or does not answer in time; in
 * both cases nothing is left running.
 */
export async function startPhoenix(options: StartPhoenixOptions): Promise<RunningPhoenix> {
  const { root, host = "127.0.0.1", port, grpcPort = 4317, workingDir, stdio = "pipe" } = options;
  const startupTimeoutMs = options.startupTimeoutMs ?? 120_000;
  const phoenixBin = venvBin(phoenixVenvDir(root), "phoenix");
  if (!(await exists(phoenixBin))) {
    throw new AppError("phoenix_unavailable", `${phoenixBin} is missing: run \`npm run phoenix -- --install-only\` first.`);
  }
  const url = `http://${connectHost(host)}:${port}`;
  // Without this check, a Phoenix already on the port would answer the health poll while
  // ours dies on "address in use", and the caller would talk to the wrong server.
  for (const [what, p] of [
    ["HTTP", port],
    ["gRPC", grpcPort],
  ] as const) {
    if (await portInUse(connectHost(host), p)) {
      throw new AppError("phoenix_unavailable", `${host}:${p} (Phoenix ${what} port) is already in use: is Phoenix already running?`);
    }
  }
  await mkdir(workingDir, { recursive: true });

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // Defaults for a local, offline-first server; each stays overridable from the environment.
    // Migrations log every SQL statement (thousands of lines on a fresh database); the UI
    // sends product analytics; and at startup Phoenix fetches a WASM sandbox and a docs
    // MCP server from the internet, which offline costs a long traceback per start.
    PHOENIX_LOG_MIGRATIONS: process.env.PHOENIX_LOG_MIGRATIONS ?? "false",
    PHOENIX_TELEMETRY_ENABLED: process.env.PHOENIX_TELEMETRY_ENABLED ?? "false",
    PHOENIX_ALLOW_EXTERNAL_RESOURCES: process.env.PHOENIX_ALLOW_EXTERNAL_RESOURCES ?? "false",
    // Phoenix 20 ships an "agent assistant" that can run shell commands on the server; a
    // trace viewer for this app has no use for it.
    PHOENIX_DISABLE_AGENT_ASSISTANT: process.env.PHOENIX_DISABLE_AGENT_ASSISTANT ?? "true",
  };
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  env.PHOENIX_HOST = host;
  env.PHOENIX_PORT = String(port);
  env.PHOENIX_GRPC_PORT = String(grpcPort);
  env.PHOENIX_WORKING_DIR = workingDir;
  if (options.projectName) env.PHOENIX_PROJECT_NAME = options.projectName;

  const tail = new OutputTail();
  const child = spawn(phoenixBin, ["serve"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.on("data", (chunk: Buffer) => {
    tail.push(chunk);
    if (stdio === "inherit") process.stdout.write(chunk);
  });
  child.stderr.on("data", (chunk: Buffer) => {
    tail.push(chunk);
    if (stdio === "inherit") process.stderr.write(chunk);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  const spawnFailed = new Promise<Error>((resolve) => child.once("error", resolve));
  // A crashed test runner or an uncaught error must not leave an orphan server on the ports.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      process.removeListener("exit", killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    })();
    return stopping;
  };

  try {
    await waitForHealth(`${url}/healthz`, startupTimeoutMs, child, exited, spawnFailed);
  } catch (error) {
    await stop();
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError("phoenix_unavailable", `Phoenix did not start on ${url}: ${reason}\n--- last output ---\n${tail.text()}`, {
      cause: error,
    });
  }
  return { url, otlpTracesUrl: `${url}/v1/traces`, pid: child.pid ?? -1, stop };
}

async function waitForHealth(
  healthUrl: string,
  timeoutMs: number,
  child: ChildProcess,
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
  spawnFailed: Promise<Error>,
): Promise<void> {
  let failure: Error | undefined;
  void exited.then(({ code, signal }) => (failure ??= new Error(`it exited (${signal ?? `code ${code}`})`)));
  void spawnFailed.then((error) => (failure ??= error));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (failure) throw failure;
    try {
      const response = await fetch(healthUrl, { signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.ok && child.exitCode === null) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw failure ?? new Error(`no answer from ${healthUrl} within ${Math.round(timeoutMs / 1000)} s`);
}
