/**
 * `npm run bench:guards`: what the answer guards (ANSWER_GUARDS, agents/answer/grounded-answer.ts)
 * cost per answer and what they decide, side by side in one run.
 *
 * Two worker processes run the same app code, one with `ANSWER_GUARDS=on` (the knowledge base
 * may abstain before the model writes; the draft is buffered and checked, then shown) and one
 * with `ANSWER_GUARDS=off` (the model's text streams live, unchecked). Requests alternate
 * between them (scripts/bench-pairs.ts), so both see the same machine load, over the
 * knowledge-base questions of scripts/bench-guards/questions.ts, `--rounds` times (default 2).
 * Reported: latency per answer (p50, p95) on each side, the added latency per pair (on − off),
 * the time to the first answer token the user sees (on: after the check; off: the first
 * streamed token) and the guards-on verdicts. Tracing and metrics are off on both sides.
 *
 * `--trace-log <file>` measures nothing: it counts the verdicts (`answer.guard.verdict` on the
 * `postprocess` spans) in a trace log, e.g. a server's after `npm run traffic`, as shares of
 * the answered turns and of the knowledge-base answers.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { parseFlags } from "../lib/cli/parse-flags";
import { getConfig } from "../lib/config";
import { percentile } from "../lib/math/percentile";
import { openTraceStoreForCli } from "../lib/telemetry/trace-log/trace-store-backend";
import { storedToLoggedSpan } from "../lib/telemetry/trace-log/trace-reader";
import { GUARD_QUESTIONS } from "./bench-guards/questions";
import { countVerdicts, share, traceLogVerdicts, VERDICTS } from "./bench-guards/verdicts";
import { pairs, startWorker } from "./bench-pairs";
import type { WorkerReply } from "./bench-tracing-worker";

const flagsSchema = z.object({
  rounds: z.coerce.number().int().positive().default(2),
  "trace-log": z.string().min(1).optional(),
});

const ms = (v: number) => (Number.isFinite(v) ? `${Math.round(v).toLocaleString("en-US")} ms` : "–");

async function traceLogReport(file: string): Promise<void> {
  const { store, where, close } = openTraceStoreForCli(getConfig(), file);
  try {
    const window = await store.traceWindow(0, Date.now() + 1);
    const counts = traceLogVerdicts(window.spans.map(storedToLoggedSpan));
    console.log(`Answer check verdicts in ${where}: ${counts.answered} answered turns, ${counts.knowledgeBase} by the knowledge base\n`);
    console.log("| verdict | turns | share of answered turns | share of knowledge-base answers |\n|---|---|---|---|");
    for (const v of [...VERDICTS, "unchecked"] as const) {
      const n = counts.verdicts[v];
      console.log(`| ${v} | ${n} | ${share(n, counts.answered)} | ${share(n, counts.knowledgeBase)} |`);
    }
    const changed = counts.verdicts.repaired + counts.verdicts.abstained;
    console.log(`| repaired or abstained | ${changed} | ${share(changed, counts.answered)} | ${share(changed, counts.knowledgeBase)} |`);
  } finally {
    await close();
  }
}

/** p50 and p95 of one number per reply, skipping replies without it. */
function quantiles(values: (number | undefined)[]): [number, number] {
  const present = values.filter((v): v is number => v !== undefined);
  return [percentile(present, 50), percentile(present, 95)];
}

function printLatencyTable(replies: Pair[]) {
  const column = (pick: (r: Pair) => number | undefined) => quantiles(replies.map(pick));
  const rows: [string, [number, number]][] = [
    ["total, guards off", column((r) => r.off.ms)],
    ["total, guards on", column((r) => r.on.ms)],
    ["added per answer (on − off, per pair)", column((r) => r.on.ms - r.off.ms)],
    ["first answer token, guards off (first streamed token)", column((r) => r.off.firstTokenMs)],
    ["first answer token, guards on (after the check)", column((r) => r.on.firstTokenMs)],
    ["first token added (on − off, per pair)", column((r) => (r.on.firstTokenMs ?? NaN) - (r.off.firstTokenMs ?? NaN))],
  ];
  console.log(`\n| latency per knowledge-base answer (${replies.length} pairs) | p50 | p95 |\n|---|---|---|`);
  for (const [name, [p50, p95]] of rows) console.log(`| ${name} | ${ms(p50)} | ${ms(p95)} |`);
  const ratio = percentile(
    replies.map((r) => r.on.ms / r.off.ms),
    50,
  );
  console.log(`\nMedian per-pair ratio on/off: ${ratio.toFixed(3)}.`);
}

const KNOWLEDGE_BASE = "knowledge_base_search";
type Pair = { on: WorkerReply; off: WorkerReply; question: string };

function printVerdicts(pairs: Pair[]) {
  const counts = countVerdicts(pairs.map((r) => r.on.verdict));
  console.log(`\n| guards-on verdict (${pairs.length} knowledge-base answers) | answers | share |\n|---|---|---|`);
  for (const v of [...VERDICTS, "unchecked"] as const) console.log(`| ${v} | ${counts[v]} | ${share(counts[v], pairs.length)} |`);
}

/** Splits off the pairs the router sent elsewhere on either side: the guard only checks knowledge-base answers. */
function knowledgeBasePairs(all: Pair[]): Pair[] {
  const kb = all.filter((r) => r.on.route === KNOWLEDGE_BASE && r.off.route === KNOWLEDGE_BASE);
  const elsewhere = all.filter((r) => !kb.includes(r));
  // The router decides, not the benchmark: what left the knowledge base is named, not hidden.
  if (elsewhere.length > 0) {
    console.log(`\nLeft out, ${elsewhere.length} of ${all.length} pairs routed elsewhere on at least one side:`);
    for (const r of elsewhere) console.log(`  ${r.question} (on: ${r.on.route ?? "–"}, off: ${r.off.route ?? "–"})`);
  }
  return kb;
}

async function bench(rounds: number): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "bench-guards-"));
  console.log("Starting two workers (answer guards on / off) and loading models…");
  const common = { TRACING: "off", METRICS: "off", PHOENIX_EXPORT: "off", TRACE_LOG_PATH: path.join(tmp, "traces.sqlite") };
  const [on, off] = await Promise.all([
    startWorker("guards", { ...common, ANSWER_GUARDS: "on" }),
    startWorker("no-guards", { ...common, ANSWER_GUARDS: "off" }),
  ]);
  try {
    // Warm-up: model contexts, the corpus vocabulary, the first evidence vectors.
    for (const w of [on, off]) await w.ask({ kind: "chat", message: "What does the warranty cover on the SkyHook S10?" });
    const n = rounds * GUARD_QUESTIONS.length;
    const question = (i: number) => GUARD_QUESTIONS[i % GUARD_QUESTIONS.length]!;
    const result = await pairs("chat", n, on, off, (i) => ({ kind: "chat", message: question(i) }));
    const kb = knowledgeBasePairs(result.replies.map((r, i) => ({ ...r, question: question(i) })));
    printLatencyTable(kb);
    printVerdicts(kb);
  } finally {
    on.child.kill();
    off.child.kill();
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function main() {
  const flags = parseFlags(process.argv.slice(2), flagsSchema, { usageHint: "see the header of scripts/bench-guards.ts" });
  const traceLog = flags["trace-log"];
  if (traceLog !== undefined) await traceLogReport(traceLog);
  else await bench(flags.rounds);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
