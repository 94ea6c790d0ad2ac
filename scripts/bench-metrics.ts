/**
 * `npm run bench:metrics`: what recording the OpenTelemetry metrics costs, side by side in one run.
 *
 * Two worker processes run the same app code with the full tracing pipeline, one with
 * `METRICS=on` (the span → metric processor and its MeterProvider) and one with `METRICS=off`
 * (scripts/bench-pairs.ts: requests alternate, the median of per-pair ratios is reported).
 *   1. the full chat path (router, tools, the local chat model), `--chats` pairs (default 20);
 *   2. the retrieval path (embed the query + HNSW search), `--retrievals` pairs (default 200);
 *   3. what recording adds per span, timed in this process on the processor itself (`--calls`
 *      per span kind, default 200,000): a chat's latency is seconds and jitters by more than
 *      the metrics cost, so spans per chat × the most expensive kind's cost bounds the overhead
 *      where the side-by-side figure alone cannot resolve it.
 * No OTLP endpoint is set on either side: the push runs on its own timer, off the request path.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { parseFlags } from "../lib/cli/parse-flags";
import type { Attributes } from "@opentelemetry/api";
import { PrometheusExporter } from "@opentelemetry/exporter-prometheus";
import { MeterProvider } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { percentile } from "../lib/math/percentile";
import { SpanMetricsProcessor } from "../lib/telemetry/metrics/span-metrics-processor";
import { pairs, QUESTIONS, startWorker } from "./bench-pairs";

const flagsSchema = z.object({
  chats: z.coerce.number().int().positive().default(20),
  retrievals: z.coerce.number().int().positive().default(200),
  calls: z.coerce.number().int().positive().default(200_000),
});

const tmp = mkdtempSync(path.join(os.tmpdir(), "bench-metrics-"));

/** µs per `onEnd` of the metrics processor, per span kind, on finished spans shaped like the app's. */
function recordingCostUs(calls: number): Record<string, number> {
  const provider = new MeterProvider({ readers: [new PrometheusExporter({ preventServerStart: true })] });
  const processor = new SpanMetricsProcessor(provider.getMeter("bench"), { knownModels: ["smollm2-135m"] });
  const tracer = new BasicTracerProvider().getTracer("bench");
  const finished = (attributes: Attributes): ReadableSpan => {
    const span = tracer.startSpan("bench", { attributes });
    span.end();
    return span as unknown as ReadableSpan;
  };
  const docs: Attributes = {};
  for (let i = 0; i < 4; i++) {
    docs[`retrieval.documents.${i}.document.id`] = `c${i}`;
    docs[`retrieval.documents.${i}.document.score`] = 0.5 + i / 10;
  }
  const spans: Record<string, ReadableSpan> = {
    "LLM (tokens, duration, cost)": finished({
      "openinference.span.kind": "LLM",
      "llm.provider": "llama.cpp",
      "llm.model_name": "smollm2-135m",
      "llm.token_count.prompt": 900,
      "llm.token_count.completion": 60,
      "llm.cost.total": 0,
    }),
    "RETRIEVER (top score)": finished({ "openinference.span.kind": "RETRIEVER", ...docs }),
    "root AGENT (request duration)": finished({ "openinference.span.kind": "AGENT", "agent.route": "knowledge_base_search" }),
    "other (skipped)": finished({ "openinference.span.kind": "CHAIN" }),
  };
  const cost: Record<string, number> = {};
  for (const [kind, span] of Object.entries(spans)) {
    for (let i = 0; i < 10_000; i++) processor.onEnd(span); // warm-up: JIT, the series exist
    const started = performance.now();
    for (let i = 0; i < calls; i++) processor.onEnd(span);
    cost[kind] = ((performance.now() - started) * 1000) / calls;
  }
  return cost;
}

async function main() {
  const { chats, retrievals, calls } = parseFlags(process.argv.slice(2), flagsSchema, {
    usageHint: "see the header of scripts/bench-metrics.ts",
  });
  console.log("Starting two workers (metrics on / off, tracing on in both) and loading models…");
  const common = { TRACING: "on", PHOENIX_EXPORT: "off" };
  const [on, off] = await Promise.all([
    startWorker("metrics", { ...common, METRICS: "on", TRACE_LOG_PATH: path.join(tmp, "on.sqlite") }),
    startWorker("no-metrics", { ...common, METRICS: "off", TRACE_LOG_PATH: path.join(tmp, "off.sqlite") }),
  ]);
  try {
    for (const w of [on, off]) {
      await w.ask({ kind: "chat", message: QUESTIONS[0]! });
      await w.ask({ kind: "retrieve", query: QUESTIONS[0]! });
    }
    const chat = await pairs("chat", chats, on, off, (i) => ({ kind: "chat", message: QUESTIONS[i % QUESTIONS.length]! }));
    const retrieval = await pairs("retrieval", retrievals, on, off, (i) => ({
      kind: "retrieve",
      query: `${QUESTIONS[i % QUESTIONS.length]} (${i})`,
    }));
    const perSpanUs = recordingCostUs(calls);

    const ms = (v: number) => v.toFixed(1);
    const pct = (ratio: number) => `${((ratio - 1) * 100).toFixed(2)}%`;
    console.log(`\n| path | pairs | metrics off p50 ms | metrics on p50 ms | median ratio on/off | overhead | IQR of ratio |`);
    console.log(`|---|---|---|---|---|---|---|`);
    for (const [name, r, n] of [
      ["chat (agent, local model)", chat, chats],
      ["retrieval (embed + HNSW)", retrieval, retrievals],
    ] as const) {
      const iqr = `${percentile(r.ratios, 25).toFixed(4)}–${percentile(r.ratios, 75).toFixed(4)}`;
      console.log(`| ${name} | ${n} | ${ms(r.off.p50)} | ${ms(r.on.p50)} | ${r.ratio.toFixed(4)} | ${pct(r.ratio)} | ${iqr} |`);
    }
    console.log(`\n| span kind | µs per span to record |\n|---|---|`);
    for (const [kind, us] of Object.entries(perSpanUs)) console.log(`| ${kind} | ${us.toFixed(2)} |`);
    const worstUs = Math.max(...Object.values(perSpanUs));
    const boundMs = (chat.spansPerRequest * worstUs) / 1000;
    console.log(
      `\nBound on a chat: ${chat.spansPerRequest.toFixed(1)} spans × ${worstUs.toFixed(2)} µs = ${boundMs.toFixed(3)} ms ` +
        `of a ${ms(chat.off.p50)} ms chat (${((boundMs / chat.off.p50) * 100).toFixed(4)}%).`,
    );
  } finally {
    on.child.kill();
    off.child.kill();
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  rmSync(tmp, { recursive: true, force: true });
  process.exit(2);
});
