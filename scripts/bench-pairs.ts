/**
 * Side-by-side measurement for the overhead benchmarks (`bench:tracing`, `bench:metrics`): two
 * worker processes (scripts/bench-tracing-worker.ts) run the same app code under different
 * settings, requests alternate between them so both see the same machine load, and the ratio
 * is taken per pair, then its median reported.
 */
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { percentile } from "../lib/math/percentile";
import { stats } from "./bench-stats";
import type { WorkerReply, WorkerTask } from "./bench-tracing-worker";

/** Questions that take every route (knowledge base, sales, calculator, a follow-up). */
export const QUESTIONS = [
  "Can I send back a drone I opened last week?",
  "Which sales channel had the fewest units in Q4?",
  "What does the warranty cover on the SkyHook S10?",
  "What is 22.5% of 4,180?",
  "How do I rotate an API key?",
];

const here = path.dirname(fileURLToPath(import.meta.url));

export interface Worker {
  name: string;
  ask(request: WorkerTask): Promise<WorkerReply>;
  child: ChildProcess;
}

/** A worker process with `env` over this process's environment, once it has loaded. */
export function startWorker(name: string, env: Record<string, string>): Promise<Worker> {
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

/** `n` requests on each side; `on` is the side measured, `off` the baseline. */
export async function pairs(label: string, n: number, on: Worker, off: Worker, request: (i: number) => WorkerTask) {
  const onMs: number[] = [];
  const offMs: number[] = [];
  const ratios: number[] = [];
  const replies: { on: WorkerReply; off: WorkerReply }[] = [];
  let spans = 0;
  for (let i = 0; i < n; i++) {
    // Alternate which side goes first, so neither always runs on a warmer machine.
    const [a, b] = i % 2 === 0 ? [on, off] : [off, on];
    const ra = await a.ask(request(i));
    const rb = await b.ask(request(i));
    const [t, u] = a === on ? [ra, rb] : [rb, ra];
    onMs.push(t.ms);
    offMs.push(u.ms);
    ratios.push(t.ms / u.ms);
    replies.push({ on: t, off: u });
    spans += t.spans ?? 0;
    process.stdout.write(`\r${label}: ${i + 1}/${n}`);
  }
  process.stdout.write("\n");
  return { on: stats(onMs), off: stats(offMs), ratio: percentile(ratios, 50), ratios, replies, spansPerRequest: spans / n };
}
