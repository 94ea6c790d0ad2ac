import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

export interface RunningServer {
  url: string;
  /** The server's output so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the production build (`next start`) on 127.0.0.1 with extra environment, and waits
 * until /api/health answers. Tests use it to check what only the real server shows: the
 * instrumentation hook, bundling, one copy of @langchain/core.
 */
export async function startProductionServer(options: {
  port: number;
  env: Record<string, string>;
  timeoutMs?: number;
}): Promise<RunningServer> {
  const root = process.cwd();
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(root, "node_modules", "next", "dist", "bin", "next"), "start", "-H", "127.0.0.1", "-p", String(options.port)],
    {
      cwd: root,
      env: { ...process.env, NODE_OPTIONS: "--no-node-snapshot", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${options.port}`;
  const stop = async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
    await exited;
  };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${output.slice(-2000)}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) return { url, output: () => output, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`next start did not become healthy in time:\n${output.slice(-2000)}`);
}
