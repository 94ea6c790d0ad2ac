import { spawn } from "node:child_process";
import { OutputTail } from "./output-tail";

/**
 * A server run as a child process that cannot outlive this one: killed when this process
 * exits (a crashed test runner must not leave an orphan on the ports), stopped with SIGTERM
 * and then SIGKILL after a grace period. Its output is kept as a bounded tail, to explain a
 * failed start, and echoed to this process's console when asked.
 */
export interface ServerProcess {
  /** -1 when the process could not be spawned. */
  pid: number;
  /** Settles once the process has exited. */
  exited: Promise<ProcessExit>;
  /** Settles only if the process could not be spawned at all. */
  spawnFailed: Promise<Error>;
  running: () => boolean;
  outputTail: () => string;
  /** SIGTERM, then SIGKILL after a grace period; resolves once the process has exited. */
  stop: () => Promise<void>;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnServerOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Also print the server's output (its foreground console). */
  echo: boolean;
  /** The polite stop (default SIGTERM); PostgreSQL's SIGTERM waits for every client to leave, its SIGINT does not. */
  stopSignal?: NodeJS.Signals;
  /** Run as another user (PostgreSQL refuses to run as root). */
  uid?: number;
  gid?: number;
}

const STOP_GRACE_MS = 10_000;

export function spawnServer(command: string, args: readonly string[], options: SpawnServerOptions): ServerProcess {
  const tail = new OutputTail();
  const user = options.uid === undefined ? {} : { uid: options.uid, gid: options.gid };
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"], ...user });
  child.stdout.on("data", (chunk: Buffer) => {
    tail.push(chunk);
    if (options.echo) process.stdout.write(chunk);
  });
  child.stderr.on("data", (chunk: Buffer) => {
    tail.push(chunk);
    if (options.echo) process.stderr.write(chunk);
  });
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  const spawnFailed = new Promise<Error>((resolve) => child.once("error", resolve));
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      process.removeListener("exit", killOnExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(options.stopSignal ?? "SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    })();
    return stopping;
  };

  return {
    get pid() {
      return child.pid ?? -1;
    },
    exited,
    spawnFailed,
    running: () => child.exitCode === null,
    outputTail: () => tail.text(),
    stop,
  };
}
