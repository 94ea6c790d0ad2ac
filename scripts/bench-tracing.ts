/**
 * `npm run bench:tracing`: what tracing costs, measured side by side in one run.
 *
 * Two worker processes run the same app code, one with tracing on (the full pipeline:
 * OpenInference spans, LangChain instrumentation, batched export to Phoenix, the SQLite
 * trace log written as each span ends) and one with `TRACING=off`. Requests alternate between them, so both see
 * the same machine load; the ratio is taken per pair, then its median reported.
 *   1. the retrieval path (embed the query + HNSW search), `--retrievals` pairs (default 200);
 *   2. the full chat path (router, tools, the local chat model), `--chats` pairs (default 20);
 *   3. the time per span through the pipeline (`--spans`, default 20,000 spans in one go).
 * Phoenix: PHOENIX_COLLECTOR_ENDPOINT as configured (run `npm run phoenix` to include the
 * export; if it is down, spans for it are dropped, which is also what production does).
 * `--database-url <url>` runs both workers on PostgreSQL (DATABASE_URL: the knowledge base in
 * pgvector, the traced worker's trace log in PostgreSQL), for the cost of tracing there; run it
 * once without and once with to compare with the SQLite trace log.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { parseFlags } from "../lib/cli/parse-flags";
import { pairs, QUESTIONS, startWorker } from "./bench-pairs";

const flagsSchema = z.object({
  retrievals: z.coerce.number().int().positive().default(200),
  chats: z.coerce.number().int().positive().default(20),
  spans: z.coerce.number().int().positive().default(20_000),
  "database-url": z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL (npm run db prints one)")
    .optional(),
});

const tmp = mkdtempSync(path.join(os.tmpdir(), "bench-tracing-"));

async function main() {
  const {
    retrievals,
    chats,
    spans: spanCount,
    "database-url": databaseUrl,
  } = parseFlags(process.argv.slice(2), flagsSchema, {
    usageHint: "see the header of scripts/bench-tracing.ts",
  });
  const database: Record<string, string> = databaseUrl ? { DATABASE_URL: databaseUrl } : {};
  console.log(
    `Starting two workers (tracing on / off) and loading models… trace log and knowledge base: ${databaseUrl ? "PostgreSQL (--database-url)" : "SQLite file and on-disk HNSW index"}`,
  );
  const [traced, untraced] = await Promise.all([
    startWorker("traced", { TRACING: "on", TRACE_LOG_PATH: path.join(tmp, "traces.sqlite"), ...database }),
    startWorker("untraced", { TRACING: "off", ...database }),
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
      [databaseUrl ? "retrieval (embed + pgvector)" : "retrieval (embed + HNSW)", retrieval, retrievals],
      ["chat (agent, local model)", chat, chats],
    ] as const) {
      console.log(
        `| ${name} | ${n} | ${ms(r.off.p50)} | ${ms(r.on.p50)} | ${r.ratio.toFixed(4)} | ${((r.ratio - 1) * 100).toFixed(2)}% | ${r.spansPerRequest.toFixed(1)} |`,
      );
    }
    console.log(
      `\nTime per span through the pipeline (start, attributes, end, transform, Phoenix's batch queue, the trace log's write or queue): ${perSpanUs.toFixed(1)} µs (${spanCount} spans).`,
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
