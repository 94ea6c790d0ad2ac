import { spawn } from "node:child_process";

export interface ScriptResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a TypeScript entry point (e.g. `scripts/eval.ts`) in a child Node process through tsx,
 * as `npm run` would, and collects its output: how the integration tests drive the CLIs. The
 * child inherits this process's environment with `env` laid over it.
 */
export function runTsxScript(script: string, args: readonly string[], env: Record<string, string> = {}): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--no-node-snapshot", "--import", "tsx", script, ...args], { env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}
