import path from "node:path";
import { spawnServer, type ProcessExit } from "../telemetry/server-process";
import { waitForHealth } from "../telemetry/wait-for-health";

export interface ProductionServer {
  url: string;
  /** The server's own process (a launcher execs it in place, so this is `next start` itself). */
  pid: number;
  /** Settles once the process has exited, however it ended. */
  exited: Promise<ProcessExit>;
  /** The last lines of the server's output (for failure messages). */
  output(): string;
  /** SIGTERM, then SIGKILL after a grace period. */
  stop(): Promise<void>;
}

export interface ProductionServerOptions {
  port: number;
  /** Added to this process's environment. */
  env: Record<string, string>;
  timeoutMs?: number;
  /**
   * A command the server runs under, which must exec it in place (`bash -c 'ulimit -f …; exec "$@"'`,
   * `unshare … sh -c '…; exec "$@"'`; not `prlimit`, which forks): resource limits and namespaces
   * then apply to the server itself, and `pid` stays its process.
   */
  launcher?: readonly string[];
}

/**
 * Starts the production build (`next start`) on 127.0.0.1 with extra environment, and waits
 * until /api/health answers 200. For what only the real server shows: the instrumentation hook,
 * bundling, the process's memory and how it survives faults (tests, `npm run chaos`). The server
 * is killed if this process exits first.
 */
export async function startProductionServer(options: ProductionServerOptions): Promise<ProductionServer> {
  const root = process.cwd();
  const next = [process.execPath, path.join(root, "node_modules", "next", "dist", "bin", "next")];
  const [command, ...args] = [...(options.launcher ?? []), ...next, "start", "-H", "127.0.0.1", "-p", String(options.port)];
  const server = spawnServer(command ?? process.execPath, args, {
    cwd: root,
    // isolated-vm (the run_code sandbox) needs --no-node-snapshot on Node >= 20.
    env: { ...process.env, NODE_OPTIONS: "--no-node-snapshot", ...options.env },
    echo: false,
  });
  const url = `http://127.0.0.1:${options.port}`;
  try {
    await waitForHealth(server, `${url}/api/health`, options.timeoutMs ?? 60_000);
  } catch (error) {
    await server.stop();
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`next start did not become healthy (${why}):\n${server.outputTail().slice(-2000)}`, { cause: error });
  }
  return { url, pid: server.pid, exited: server.exited, output: server.outputTail, stop: server.stop };
}
