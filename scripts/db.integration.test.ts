import { spawn } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "@/test-support/process/free-port";

// `npm run db` as a user runs it: the venv is built if missing (as CI's `npm run db -- --install-only`
// does), a fresh cluster in a temp folder, the DATABASE_URL line on stdout, Ctrl-C stops it.
const root = path.resolve(__dirname, "..");
let workingDir: string;

beforeAll(async () => {
  workingDir = await mkdtemp(path.join(os.tmpdir(), "npm-run-db-"));
  // Run as root, the server is an unprivileged user who must reach the cluster inside.
  await chmod(workingDir, 0o755);
});
afterAll(async () => {
  await rm(workingDir, { recursive: true, force: true });
});

describe("npm run db", () => {
  it("prints DATABASE_URL once PostgreSQL accepts connections, has pgvector, and stops on SIGINT", async () => {
    const port = await freePort();
    const args = ["--import", "tsx", "scripts/db.ts", "--port", String(port), "--data-dir", path.join(workingDir, "data"), "--quiet"];
    const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /^DATABASE_URL=(\S+)$/m.exec(stdout);
        if (match) resolve(match[1]!);
      });
      void exited.then((code) => reject(new Error(`npm run db exited ${code} before printing DATABASE_URL:\n${stdout}\n${stderr}`)));
    });
    expect(url).toBe(`postgresql://postgres@127.0.0.1:${port}/rag`);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ distance: number }>("SELECT '[1,0,0]'::vector <=> '[0,1,0]'::vector AS distance");
      expect(rows[0]!.distance).toBeCloseTo(1, 6);
    } finally {
      await client.end();
    }

    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(stdout).toContain("Stopping PostgreSQL");
  });
});
