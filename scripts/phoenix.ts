/**
 * `npm run phoenix`: a real Arize Phoenix on http://localhost:6006, in the foreground until
 * Ctrl-C. The first run builds `.phoenix/venv` (the arize-phoenix version pinned in
 * scripts/phoenix-requirements.txt); traces are kept in `.phoenix/data` across runs, or in
 * PostgreSQL (its own schema) when PHOENIX_SQL_DATABASE_URL is set.
 * `npm run phoenix -- --install-only` only builds the venv (CI runs this before the tests).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { getConfig } from "../lib/config";
import { AppError } from "../lib/errors";
import { acceptsConnections } from "../lib/postgres/local-postgres";
import { withoutPassword } from "../lib/postgres/redacted-url";
import { PhoenixClient } from "../lib/telemetry/phoenix-client";
import { startPhoenix } from "../lib/telemetry/phoenix-server";
import { PHOENIX_DIR, ensurePhoenixVenv } from "../lib/telemetry/phoenix-venv";
import { connectHost } from "../lib/telemetry/tcp-address";
import { flagsOrUsage, runCli } from "./run-cli";

const USAGE = `Usage: npm run phoenix [-- --install-only]

Starts Arize Phoenix (UI, REST API, OTLP receiver) and keeps it running until Ctrl-C.
Data lives in ${PHOENIX_DIR}/data; the Python venv in ${PHOENIX_DIR}/venv.

Options:
  --install-only   only create/update the venv, then exit
  -h, --help       this text

Environment: PHOENIX_HOST (default 127.0.0.1), PHOENIX_PORT (default 6006),
PHOENIX_GRPC_PORT (default 4317), PYTHON (default python3).
PHOENIX_SQL_DATABASE_URL (a postgresql:// URL, e.g. the app's DATABASE_URL) keeps Phoenix's data
in PostgreSQL instead, in the schema PHOENIX_SQL_DATABASE_SCHEMA (default phoenix).`;

const flagsSchema = z.object({ "install-only": z.boolean().default(false), help: z.boolean().default(false) });

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function parsePort(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new AppError("config_invalid", `${name} must be a port number, got "${raw}"`);
  return port;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<number> {
  const values = flagsOrUsage(process.argv.slice(2), flagsSchema, { booleans: ["install-only", "help"], short: { h: "help" } }, USAGE);
  if (typeof values === "number") return values;

  const host = process.env.PHOENIX_HOST || "127.0.0.1";
  const port = parsePort("PHOENIX_PORT", 6006);
  const grpcPort = parsePort("PHOENIX_GRPC_PORT", 4317);

  const installStarted = Date.now();
  const venv = await ensurePhoenixVenv({ root, python: process.env.PYTHON || undefined, onProgress: (line) => console.log(`  ${line}`) });
  console.log(
    venv.installed
      ? `Phoenix venv ready in ${seconds(Date.now() - installStarted)}: ${path.relative(root, venv.venvDir)}`
      : `Phoenix venv is up to date: ${path.relative(root, venv.venvDir)}`,
  );
  if (values["install-only"]) return 0;
  const { phoenixDatabase } = getConfig();
  const dataAt = phoenixDatabase
    ? `PostgreSQL ${withoutPassword(phoenixDatabase.url)}, schema ${phoenixDatabase.schema}`
    : path.join(PHOENIX_DIR, "data");
  // Phoenix would die on its first migration with a long traceback; say what is missing instead.
  if (phoenixDatabase && !(await acceptsConnections(phoenixDatabase.url))) {
    throw new AppError(
      "phoenix_unavailable",
      `PostgreSQL at ${withoutPassword(phoenixDatabase.url)} does not accept connections: start it (\`npm run db\`) or fix PHOENIX_SQL_DATABASE_URL.`,
    );
  }

  const shownHost = host === "0.0.0.0" || host === "::" || host === "127.0.0.1" ? "localhost" : host;
  const shownUrl = `http://${shownHost}:${port}`;
  // A second `npm run phoenix` would fail on the port; say what is going on instead.
  if (await new PhoenixClient({ baseUrl: `http://${connectHost(host)}:${port}`, timeoutMs: 2_000 }).health()) {
    console.log(`Phoenix is already running at ${shownUrl} (OTLP: ${shownUrl}/v1/traces).`);
    return 0;
  }

  console.log(`Starting Phoenix on ${host}:${port} (data: ${dataAt}) ...`);
  const started = Date.now();
  // Phoenix's own log (banner, requests, errors) stays visible: this is its foreground console.
  const workingDir = path.join(root, PHOENIX_DIR, "data");
  const phoenix = await startPhoenix({ root, host, port, grpcPort, workingDir, database: phoenixDatabase, stdio: "inherit" });
  console.log(`
Phoenix is up (started in ${seconds(Date.now() - started)}).
  UI:             ${shownUrl}
  OTLP endpoint:  ${shownUrl}/v1/traces   (gRPC: ${shownHost}:${grpcPort})
  REST API:       ${shownUrl}/v1
The app exports here by default (PHOENIX_COLLECTOR_ENDPOINT, default http://localhost:6006). Ctrl-C stops it.`);

  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  console.log("\nStopping Phoenix ...");
  await phoenix.stop();
  return 0;
}

runCli(main);
