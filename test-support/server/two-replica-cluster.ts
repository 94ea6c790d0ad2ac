import { randomBytes } from "node:crypto";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type pg from "pg";
import type { LocalPostgres } from "@/lib/postgres/local-postgres";
import { createPool } from "@/lib/postgres/pool";
import { startProductionServer, type ProductionServer } from "@/lib/process/production-server";
import type { RunningPhoenix } from "@/lib/telemetry/phoenix-server";
import { startThrowawayPhoenix } from "../phoenix/throwaway-phoenix";
import { startThrowawayPostgres } from "../postgres/throwaway-postgres";
import { freePort } from "../process/free-port";
import { runTsxScript } from "../process/run-tsx-script";
import { startNginxBalancer, type NginxBalancer } from "./nginx-balancer";

export interface Replica {
  name: "A" | "B";
  /** host:port, as nginx names the upstream in its x-upstream header. */
  address: string;
  server: ProductionServer;
}

/**
 * The scale-out profile on one machine: a throwaway PostgreSQL with the corpus ingested, a
 * throwaway Phoenix, two `next start` replicas of the one production build (same
 * SESSION_SECRET, same DATABASE_URL, same Phoenix project) and nginx round robin in front.
 */
export interface TwoReplicaCluster {
  db: LocalPostgres;
  /** The test's own connection, to read what the replicas wrote. */
  pool: pg.Pool;
  phoenix: RunningPhoenix;
  project: string;
  /** The product documents of data/corpus, copied: the test may add documents; `ingest()` reads it. */
  corpusDir: string;
  replicas: [Replica, Replica];
  lb: NginxBalancer;
  /** `npm run ingest` of corpusDir into the cluster's database. */
  ingest(): Promise<{ ms: number; output: string }>;
  /** Milliseconds each start-up step took. */
  timings: Record<string, number>;
  stop(): Promise<void>;
}

async function timed<T>(timings: Record<string, number>, step: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const value = await work();
  timings[step] = Math.round(performance.now() - started);
  return value;
}

function ingestInto(databaseUrl: string, corpusDir: string) {
  return async () => {
    const started = performance.now();
    const run = await runTsxScript("scripts/ingest.ts", [], { DATABASE_URL: databaseUrl, CORPUS_DIR: corpusDir });
    const output = `${run.stdout}\n${run.stderr}`.trim();
    if (run.code !== 0) throw new Error(`npm run ingest exited ${run.code}:\n${output.slice(-3000)}`);
    return { ms: Math.round(performance.now() - started), output };
  };
}

/**
 * One topic of the corpus (the products: ten documents) rather than all of it: the first ingest
 * then embeds a sixth of the chunks (seconds, not a minute and a half on two cores), and a new
 * product document still has to beat its neighbours to be retrieved.
 */
async function copyTopic(from: string, to: string, topic: string): Promise<void> {
  await mkdir(to, { recursive: true });
  const pattern = new RegExp(`^topic:\\s*${topic}\\s*$`, "m");
  for (const name of (await readdir(from)).filter((n) => n.endsWith(".md"))) {
    if (pattern.test(await readFile(path.join(from, name), "utf8"))) await copyFile(path.join(from, name), path.join(to, name));
  }
}

async function startReplica(name: Replica["name"], env: Record<string, string>, workDir: string): Promise<Replica> {
  const port = await freePort();
  // The SQLite trace log is not used with DATABASE_URL; the path keeps a stray write out of .data/.
  const server = await startProductionServer({ port, env: { ...env, TRACE_LOG_PATH: path.join(workDir, `unused-${name}.sqlite`) } });
  return { name, address: `127.0.0.1:${port}`, server };
}

/** Starts everything; a failed step stops what had started. `stop()` stops it all, in reverse. */
export async function startTwoReplicaCluster(root: string, nginx: string): Promise<TwoReplicaCluster> {
  const timings: Record<string, number> = {};
  const stoppers: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const stopOne of stoppers.reverse())
      await stopOne().catch((error: unknown) => console.warn(`[two replicas] stop: ${String(error)}`));
    stoppers.length = 0;
  };
  try {
    const workDir = await mkdtemp(path.join(os.tmpdir(), "two-replicas-"));
    stoppers.push(() => rm(workDir, { recursive: true, force: true }));
    const corpusDir = path.join(workDir, "corpus");
    await copyTopic(path.join(root, "data", "corpus"), corpusDir, "products");
    const [db, phoenix] = await timed(timings, "postgresAndPhoenixMs", () =>
      Promise.all([startThrowawayPostgres(root, "two_replicas"), startThrowawayPhoenix(root)]),
    );
    stoppers.push(
      () => db.stop(),
      () => phoenix.stop(),
    );
    const pool = createPool({ url: db.url, poolMax: 4, connectTimeoutMs: 5_000 });
    stoppers.push(() => pool.end());
    const ingest = ingestInto(db.url, corpusDir);
    timings.initialIngestMs = (await ingest()).ms;

    const project = `two-replicas-${Date.now()}`;
    const env = {
      DATABASE_URL: db.url,
      SESSION_SECRET: randomBytes(32).toString("hex"),
      PHOENIX_COLLECTOR_ENDPOINT: phoenix.url,
      PHOENIX_PROJECT_NAME: project,
      TRACING: "on",
      CORPUS_DIR: corpusDir,
    };
    // One after the other: two cold starts at once on two cores only make both slow.
    const a = await timed(timings, "replicaAStartMs", () => startReplica("A", env, workDir));
    stoppers.push(() => a.server.stop());
    const b = await timed(timings, "replicaBStartMs", () => startReplica("B", env, workDir));
    stoppers.push(() => b.server.stop());
    const lb = await startNginxBalancer(nginx, await freePort(), [a.address, b.address]);
    stoppers.push(() => lb.stop());
    return { db, pool, phoenix, project, corpusDir, replicas: [a, b], lb, ingest, timings, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
