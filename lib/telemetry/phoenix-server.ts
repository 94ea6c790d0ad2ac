import { mkdir } from "node:fs/promises";
import { AppError } from "../errors";
import { installedPhoenixBin } from "./phoenix-venv";
import type { PhoenixDatabaseConfig } from "./telemetry-backends-config";
import { spawnServer } from "./server-process";
import { connectHost, portInUse } from "./tcp-address";
import { waitForHealth } from "./wait-for-health";

/**
 * A real Arize Phoenix server, run from the project's venv (phoenix-venv.ts). Used by
 * `npm run phoenix` and by integration tests; the app itself only ever talks to Phoenix over
 * HTTP (OTLP export, REST API).
 */

// Test helpers (throwaway-phoenix.ts, integration tests) import these from here; they live in
// phoenix-venv.ts and free-port.ts now, and these lines go once the helpers import from there.

export interface StartPhoenixOptions {
  root: string;
  host?: string;
  port: number;
  /** Phoenix also serves OTLP over gRPC; it must not collide with another Phoenix (default 4317). */
  grpcPort?: number;
  /** Where Phoenix keeps its SQLite database (created when missing), and its other files. */
  workingDir: string;
  /** PostgreSQL instead of SQLite: Phoenix's tables go to their own schema there (created by Phoenix's migrations). */
  database?: PhoenixDatabaseConfig;
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

/**
 * Phoenix's settings for a local, offline-first server. Migrations log every SQL statement
 * (thousands of lines on a fresh database); the UI sends product analytics; at startup Phoenix
 * fetches a WASM sandbox and a docs MCP server from the internet, which offline costs a long
 * traceback per start; and Phoenix 20's "agent assistant" can run shell commands on the
 * server, which a trace viewer for this app has no use for.
 */
const LOCAL_SERVER_DEFAULTS: Readonly<Record<string, string>> = {
  PHOENIX_LOG_MIGRATIONS: "false",
  PHOENIX_TELEMETRY_ENABLED: "false",
  PHOENIX_ALLOW_EXTERNAL_RESOURCES: "false",
  PHOENIX_DISABLE_AGENT_ASSISTANT: "true",
};

/**
 * The server's environment. It inherits this process's, where Phoenix reads its own PHOENIX_*
 * settings (the app passes them on unread), so each default above stays overridable there.
 */
function serverEnvironment(options: StartPhoenixOptions, host: string, grpcPort: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...LOCAL_SERVER_DEFAULTS, ...process.env };
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  env.PHOENIX_HOST = host;
  env.PHOENIX_PORT = String(options.port);
  env.PHOENIX_GRPC_PORT = String(grpcPort);
  env.PHOENIX_WORKING_DIR = options.workingDir;
  if (options.database) {
    env.PHOENIX_SQL_DATABASE_URL = options.database.url;
    env.PHOENIX_SQL_DATABASE_SCHEMA = options.database.schema;
  }
  if (options.projectName) env.PHOENIX_PROJECT_NAME = options.projectName;
  return env;
}

/**
 * Without this check, a Phoenix already on the port would answer the health poll while ours
 * dies on "address in use", and the caller would talk to the wrong server.
 */
async function assertPortsFree(host: string, ports: Record<"HTTP" | "gRPC", number>): Promise<void> {
  for (const [what, port] of Object.entries(ports)) {
    if (await portInUse(connectHost(host), port)) {
      throw new AppError("phoenix_unavailable", `${host}:${port} (Phoenix ${what} port) is already in use: is Phoenix already running?`);
    }
  }
}

/**
 * Spawns `<venv>/bin/phoenix serve` and resolves once GET /healthz answers 200. Rejects
 * (with the tail of Phoenix's output) if it exits first or does not answer in time; in
 * both cases nothing is left running.
 */
export async function startPhoenix(options: StartPhoenixOptions): Promise<RunningPhoenix> {
  const { root, host = "127.0.0.1", port, grpcPort = 4317, workingDir, stdio = "pipe" } = options;
  const phoenixBin = await installedPhoenixBin(root);
  const url = `http://${connectHost(host)}:${port}`;
  await assertPortsFree(host, { HTTP: port, gRPC: grpcPort });
  await mkdir(workingDir, { recursive: true });

  const server = spawnServer(phoenixBin, ["serve"], {
    cwd: root,
    env: serverEnvironment(options, host, grpcPort),
    echo: stdio === "inherit",
  });
  try {
    await waitForHealth(server, `${url}/healthz`, options.startupTimeoutMs ?? 120_000);
  } catch (error) {
    await server.stop();
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError("phoenix_unavailable", `Phoenix did not start on ${url}: ${reason}\n--- last output ---\n${server.outputTail()}`, {
      cause: error,
    });
  }
  return { url, otlpTracesUrl: `${url}/v1/traces`, pid: server.pid, stop: server.stop };
}
