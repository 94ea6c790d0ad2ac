import { execFile } from "node:child_process";
import { chmod, mkdir } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { AppError } from "../errors";
import { exists } from "../process/python-venv";
import { spawnServer, type ServerProcess } from "../telemetry/server-process";
import { handOver, unprivilegedUser, type RunAs } from "./unprivileged-user";

/**
 * A PostgreSQL (with pgvector) run from the binaries of the project's venv (postgres-venv.ts)
 * as a child process of this one: `npm run db` keeps one in the foreground on
 * `.data/postgres/data`; integration tests start a throwaway one on a free port. Only
 * 127.0.0.1 listens, with trust authentication: a development database, never a production one.
 */
export interface LocalPostgresOptions {
  /** Where initdb/postgres live (installedPostgresBinDir / ensurePostgresVenv). */
  binDir: string;
  /** The cluster; initialised on first start, reused afterwards. */
  dataDir: string;
  port: number;
  /** The database the URL names; created with the `vector` extension when missing. */
  database?: string;
  /** Print the server's log (the `npm run db` console). */
  echo?: boolean;
  /** Trade crash safety for speed (fsync off): for throwaway test clusters only. */
  unsafeFast?: boolean;
  /** Extra server settings (`-c name=value`), e.g. shared_buffers for a benchmark. */
  settings?: Record<string, string>;
  readyTimeoutMs?: number;
}

export interface LocalPostgres {
  /** `postgresql://postgres@127.0.0.1:<port>/<database>` */
  url: string;
  port: number;
  dataDir: string;
  process: ServerProcess;
  /** Fast shutdown (open connections are closed); resolves once the server has exited. */
  stop: () => Promise<void>;
}

const HOST = "127.0.0.1";
const SUPERUSER = "postgres";
// The Unix socket path must fit sockaddr_un (107 bytes); a long checkout path gets TCP only.
const MAX_SOCKET_DIR = 80;

export function localPostgresUrl(port: number, database: string): string {
  return `postgresql://${SUPERUSER}@${HOST}:${port}/${encodeURIComponent(database)}`;
}

function run(command: string, args: string[], user: RunAs | undefined, cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const asUser = user ? { uid: user.uid, gid: user.gid } : {};
    execFile(command, args, { cwd, ...asUser, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new AppError("postgres_start_failed", `${path.basename(command)} failed: ${error.message}\n${stderr || stdout}`));
      else resolve();
    });
  });
}

async function initCluster(binDir: string, dataDir: string, user: RunAs | undefined, unsafeFast: boolean): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  // initdb insists on owning a private folder (0700).
  await chmod(dataDir, 0o700);
  await handOver(dataDir, user);
  if (await exists(path.join(dataDir, "PG_VERSION"))) return;
  const args = ["-D", dataDir, "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8", "--locale=C"];
  await run(path.join(binDir, "initdb"), unsafeFast ? [...args, "--no-sync"] : args, user, dataDir);
}

export async function acceptsConnections(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function waitUntilReady(server: ServerProcess, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void server.exited.then(() => (exited = true));
  const spawnError = await Promise.race([server.spawnFailed, new Promise<undefined>((resolve) => setTimeout(resolve, 100))]);
  if (spawnError) throw new AppError("postgres_start_failed", `postgres could not be started: ${spawnError.message}`);
  while (!(await acceptsConnections(url))) {
    if (exited) throw new AppError("postgres_start_failed", `postgres exited during start-up:\n${server.outputTail()}`);
    if (Date.now() > deadline)
      throw new AppError("postgres_start_failed", `postgres did not accept connections within ${timeoutMs} ms:\n${server.outputTail()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Creates `database` when missing and the `vector` extension in it. */
async function prepareDatabase(port: number, database: string): Promise<void> {
  const admin = new pg.Client({ connectionString: localPostgresUrl(port, "postgres") });
  await admin.connect();
  try {
    const found = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  } finally {
    await admin.end();
  }
  const client = new pg.Client({ connectionString: localPostgresUrl(port, database) });
  await client.connect();
  try {
    await client.query("CREATE EXTENSION IF NOT EXISTS vector");
  } finally {
    await client.end();
  }
}

function serverArgs(options: LocalPostgresOptions): string[] {
  const socketDir = options.dataDir.length <= MAX_SOCKET_DIR ? options.dataDir : "";
  const args = ["-D", options.dataDir, "-p", String(options.port), "-c", `listen_addresses=${HOST}`, "-k", socketDir];
  if (options.unsafeFast) args.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  for (const [name, value] of Object.entries(options.settings ?? {})) {
    if (!/^[a-z_.]+$/.test(name)) throw new AppError("internal", `bad PostgreSQL setting name "${name}"`);
    args.push("-c", `${name}=${value}`);
  }
  return args;
}

/** Initialises the cluster if needed, starts postgres and resolves once the database accepts connections. */
export async function startLocalPostgres(options: LocalPostgresOptions): Promise<LocalPostgres> {
  const database = options.database ?? "rag";
  const user = await unprivilegedUser();
  await initCluster(options.binDir, options.dataDir, user, options.unsafeFast ?? false);
  const url = localPostgresUrl(options.port, database);
  if (await acceptsConnections(localPostgresUrl(options.port, "postgres"))) {
    throw new AppError("postgres_start_failed", `something already accepts PostgreSQL connections on ${HOST}:${options.port}`);
  }
  const server = spawnServer(path.join(options.binDir, "postgres"), serverArgs(options), {
    cwd: options.dataDir,
    env: process.env,
    echo: options.echo ?? false,
    stopSignal: "SIGINT",
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
  });
  try {
    await waitUntilReady(server, localPostgresUrl(options.port, "postgres"), options.readyTimeoutMs ?? 60_000);
    await prepareDatabase(options.port, database);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url, port: options.port, dataDir: options.dataDir, process: server, stop: server.stop };
}
