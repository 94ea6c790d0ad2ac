import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { AppConfig } from "@/lib/config";
import { freePort } from "@/lib/process/free-port";
import { residentBytes } from "@/lib/process/proc-status";
import { startProductionServer, type ProductionServer } from "@/lib/process/production-server";
import { chatTurn, type ChatMode, type TurnResult } from "./client";
import type { ChaosOptions } from "./options";

/** Time the server may take past its own limits before a caller counts as kept too long. */
const GRACE_MS = 5_000;
const START_TIMEOUT_MS = 120_000;

export interface ChaosServer extends ProductionServer {
  /** Its data: trace log, review queue, a copy of the datasets. */
  dataDir: string;
  traceLog: string;
  /** The server's resident memory now, in bytes (undefined once it is gone). */
  rss(): number | undefined;
}

export interface ServerSpec {
  env?: Record<string, string>;
  launcher?: readonly string[];
  /** A data folder from an earlier server (a restart on the same trace log). */
  dataDir?: string;
}

/** What every scenario gets: the options, the server's limits, servers to run against, a progress line. */
export class ChaosContext {
  readonly adminToken = randomBytes(24).toString("hex");
  /** The longest the server promises to keep a caller: a queue wait plus a whole turn. */
  readonly limitMs: number;
  /** The client gives up later than that, so a server that breaks its promise shows as a timeout. */
  readonly turnTimeoutMs: number;
  /** Figures one scenario leaves for another (the blackhole compares its latency with the sessions'). */
  readonly shared: { sessionsP50Ms?: number } = {};
  private readonly root = fs.mkdtempSync(path.join(os.tmpdir(), "rag-chaos-"));
  private readonly servers = new Set<ChaosServer>();
  /** Every server started, in order, with its name: a failed scenario's report carries their output. */
  readonly started: { name: string; server: ChaosServer }[] = [];
  private standard?: ChaosServer;
  private dirs = 0;

  constructor(
    readonly options: ChaosOptions,
    /** The servers' settings, as `config` was loaded with them. */
    readonly config: AppConfig,
    private readonly overrides: Record<string, string>,
    readonly progress: (line: string) => void,
  ) {
    this.limitMs = config.capacity.queueTimeoutMs + config.capacity.turnDeadlineMs + GRACE_MS;
    this.turnTimeoutMs = this.limitMs + 15_000;
  }

  /** Turns the admission gate takes at once: answering plus waiting. */
  get capacity(): number {
    return this.config.capacity.maxConcurrentTurns + this.config.capacity.maxQueuedTurns;
  }

  /** A fresh folder under this run's temporary root. */
  newDir(name: string): string {
    const dir = path.join(this.root, `${++this.dirs}-${name}`);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** A production server with the run's settings plus `spec.env`; stopped when the run ends. */
  async startServer(name: string, spec: ServerSpec = {}): Promise<ChaosServer> {
    const dataDir = spec.dataDir ?? this.newDir(name);
    const datasets = path.join(dataDir, "datasets");
    if (!fs.existsSync(datasets)) copyDatasets(datasets);
    const traceLog = spec.env?.TRACE_LOG_PATH ?? path.join(dataDir, "traces.sqlite");
    const server = await startProductionServer({
      port: await freePort(),
      env: {
        ...this.overrides,
        TRACE_LOG_PATH: traceLog,
        PHOENIX_EXPORT: "off",
        ADMIN_TOKEN: this.adminToken,
        // Fuzzed review decisions must never reach evals/datasets.
        DATASETS_DIR: datasets,
        REVIEW_QUEUE_PATH: path.join(dataDir, "review-queue.jsonl"),
        ...spec.env,
      },
      timeoutMs: START_TIMEOUT_MS,
      ...(spec.launcher ? { launcher: spec.launcher } : {}),
    });
    const chaosServer: ChaosServer = { ...server, dataDir, traceLog, rss: () => residentBytes(server.pid) };
    this.servers.add(chaosServer);
    this.started.push({ name, server: chaosServer });
    void server.exited.then(() => this.servers.delete(chaosServer));
    return chaosServer;
  }

  /** The shared server with the default settings, warmed up; started again if a scenario killed it. */
  async standardServer(): Promise<ChaosServer> {
    if (this.standard && residentBytes(this.standard.pid) !== undefined) return this.standard;
    if (this.standard) this.progress("chaos: the shared server is gone; starting a new one");
    this.standard = await this.startServer("standard");
    await this.warmUp(this.standard);
    return this.standard;
  }

  /** One answered turn, so the models are loaded before anything is timed or measured. */
  async warmUp(server: ChaosServer): Promise<TurnResult> {
    return this.turn(server, "How long do I have to return a product?", undefined, "json");
  }

  turn(server: ChaosServer, message: string, sessionId: string | undefined, mode: ChatMode, signal?: AbortSignal): Promise<TurnResult> {
    return chatTurn(server.url, message, sessionId, mode, { timeoutMs: this.turnTimeoutMs, ...(signal ? { signal } : {}) });
  }

  /** Stops every server still running and removes the run's temporary folder. */
  async close(): Promise<void> {
    await Promise.all([...this.servers].map((server) => server.stop()));
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

function copyDatasets(to: string): void {
  const from = path.resolve("evals", "datasets");
  fs.mkdirSync(to, { recursive: true });
  for (const file of fs.readdirSync(from).filter((name) => name.endsWith(".jsonl"))) {
    fs.copyFileSync(path.join(from, file), path.join(to, file));
  }
}
