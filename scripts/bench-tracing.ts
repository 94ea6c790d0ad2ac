/**
 * `npm run bench:tracing`: what tracing costs, measured side by side in one run.
 *
 * Two worker processes run the same app code, one with tracing on (the full pipeline:
 * OpenInference spans, LangChain instrumentation, batched export to Phoenix and to the
 * SQLite trace log) and one with `TRACING=off`. Requests alternate between them, so both see
 * the same machine load; the ratio is taken per pair, then its median reported.
 *   1. the retrieval path (embed the query + HNSW search), `--retrievals` pairs (default 200);
 *   2. the full chat path (router, tools, the local chat model), `--chats` pairs (default 20);
 *   3. the time per span through the pipeline (`--spans`, default 20,000 spans in one go).
 * Phoenix: PHOENIX_COLLECTOR_ENDPOINT as configured (run `npm run phoenix` to include the
 * export; if it is down, spans for it are dropped, which is also what production does).
 */
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { parseFlags } from "../lib/cli/parse-flags";
import type { WorkerReply, WorkerTask } from "./bench-tracing-worker";
import { percentile } from "../lib/math/percentile";
import { stats } from "./bench-stats";

const flagsSchema = z.object({
  retrievals: z.coerce.number().int().positive().default(200),
  chats: z.coerce.number().int().positive().default(20),
  spans: z.coerce.number().int().positive().default(20_000),
});

const QUESTIONS = [
  "Can I send back a drone I opened last week?",
  "Which sales channel had the fewest units in Q4?",
  "What does the warranty cover on the SkyHook S10?",
  "What is 22.5% of 4,180?",
  "How do I rotate an API key?",
];

const here = path.dirname(fileURLToPath(import.meta.url));
const tmp = mkdtempSync(path.join(os.tmpdir(), "bench-tracing-"));

interface Worker {
  name: string;
  ask(request: WorkerTask): Promise<WorkerReply>;
  child: ChildProcess;
}

function startWorker(name: string, env: Record<string, string>): Promise<Worker> {
  const child = fork(path.join(here, "bench-tracing-worker.ts"), [], {
    execArgv: ["--import", "tsx", "--no-node-snapshot"],
    env: { ...process.env, ...env },
  });
  let next = 1;
  const pending = new Map<number, (reply: WorkerReply) => void>();
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${name} worker exited (${code})`)));
    child.on("message", (reply: WorkerReply) => {
      if (reply.id === 0) {
        resolve({
          name,
          child,
          ask: (request) =>
            new Promise((done, fail) => {
              const id = next++;
              pending.set(id, (r) => (r.error ? fail(new Error(`${name}: ${r.error}`)) : done(r)));
              child.send({ ...request, id });
            }),
        });
        return;
      }
      pending.get(reply.id)?.(reply);
      pending.delete(reply.id);
    });
  });
}

async function pairs(label: string, n: number, traced: Worker, untraced: Worker, request: (i: number) => WorkerTask) {
  const on: number[] = [];
  const off: number[] = [];
  const ratios: number[] = [];
  let spans = 0;
  for (let i = 0; i < n; i++) {
    // Alternate which side goes first, so neither always runs on a warmer machine.
    const [a, b] = i % 2 === 0 ? [traced, untraced] : [untraced, traced];
    const ra = await a.ask(request(i));
    const rb = await b.ask(request(i));
    const [t, u] = a === traced ? [ra, rb] : [rb, ra];
    on.push(t.ms);
    off.push(u.ms);
    ratios.push(t.ms / u.ms);
    spans += t.spans ?? 0;
    process.stdout.write(`\r${label}: ${i + 1}/${n}`);
  }
  process.stdout.write("\n");
  return { on: stats(on), off: stats(off), ratio: percentile(ratios, 50), spansPerRequest: spans / n };
}

async function main() {
  const {
    retrievals,
    chats,
    spans: spanCount,
  } = parseFlags(process.argv.slice(2), flagsSchema, {
    usageHint: "see the header of scripts/bench-tracing.ts",
  });
  console.log("Starting two workers (tracing on / off) and loading models…");
  const [traced, untraced] = await Promise.all([
    startWorker("traced", { TRACING: "on", TRACE_LOG_PATH: path.join(tmp, "traces.sqlite") }),
    startWorker("untraced", { TRACING: "off" }),
  ]);
  try {
    // Warm-up: load models, JIT, the index.
    for (const w of [traced, untraced]) {
      await w.ask({ kind: "chat", message: QUESTIONS[0]! });
      await w.ask({ kind: "retrieve", query: QUESTIONS[0]! });
    }
    const retrieval = await pairs("retrieval", retrievals, traced, untraced, (i) => ({
      kind: "retrieve",
      query: `${QUESTIONS[i % QUESTIONS.length]} (${i})`,
    }));
    const chat = await pairs("chat", chats, traced, untraced, (i) => ({ kind: "chat", message: QUESTIONS[i % QUESTIONS.length]! }));
    const spanRun = await traced.ask({ kind: "spans", count: spanCount });
    const perSpanUs = (spanRun.ms * 1000) / spanCount;

    const ms = (v: number) => v.toFixed(1);
    console.log(`\n| path | requests | untraced p50 ms | traced p50 ms | median ratio traced/untraced | overhead | spans/request |`);
    console.log(`|---|---|---|---|---|---|---|`);
    for (const [name, r, n] of [
      ["retrieval (embed + HNSW)", retrieval, retrievals],
      ["chat (agent, local model)", chat, chats],
    ] as const) {
      console.log(
        `| ${name} | ${n} | ${ms(r.off.p50)} | ${ms(r.on.p50)} | ${r.ratio.toFixed(4)} | ${((r.ratio - 1) * 100).toFixed(2)}% | ${r.spansPerRequest.toFixed(1)} |`,
      );
    }
    console.log(
      `\nTime per span through the pipeline (start, attributes, end, transform, two batch queues): ${perSpanUs.toFixed(1)} µs (${spanCount} spans).`,
    );
    console.log(
      `Spans per chat × time per span = ${((chat.spansPerRequest * perSpanUs) / 1000).toFixed(2)} ms of a ${ms(chat.off.p50)} ms chat (${((chat.spansPerRequest * perSpanUs) / 10 / chat.off.p50).toFixed(3)}%).`,
    );
  } finally {
    traced.child.kill();
    untraced.child.kill();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  rmSync(tmp, { recursive: true, force: true });
  process.exit(2);
});
