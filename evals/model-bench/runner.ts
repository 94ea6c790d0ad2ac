import type { AIMessage } from "@langchain/core/messages";
import { SemanticConventions as SC } from "@arizeai/openinference-semantic-conventions";
import { contentText } from "@/lib/llm/messages";
import { ioAttributes, markError, OpenInferenceSpanKind, withSpan } from "@/lib/telemetry/spans";
import type { BenchmarkSpec } from "./benchmarks";
import type { BenchModel } from "./model";
import { toMessages } from "./prompts";
import type { BenchItem, BenchSummary, ItemResult } from "./types";
import { mapPool } from "../map-pool";
import { wilsonInterval } from "@/lib/math/wilson";

export interface RunBenchmarkOptions {
  runId: string;
  model: BenchModel;
  /** Items in flight at once: 1 for the local model (it has one sequence anyway), ~4 for an API. */
  concurrency: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, correct: number) => void;
}

/** The span tags that find a run's traces in Phoenix or the trace log. */
export function benchTags(benchmark: string, runId: string): string[] {
  return ["model-bench", `bench:${benchmark}`, `model-bench-run:${runId}`];
}

/**
 * One item: a root CHAIN span `benchmark_item` (tagged, with benchmark, item id and run id as
 * metadata) around the model call, whose LLM span the LangChain instrumentation adds with tokens
 * and cost, and around the scoring (HumanEval's sandbox run is a TOOL span of its own). A failed
 * model call is a wrong answer with its error kept, not a crashed run.
 */
async function runItem(spec: BenchmarkSpec, item: BenchItem, options: RunBenchmarkOptions): Promise<ItemResult> {
  const started = performance.now();
  const prompt = spec.prompt(item);
  const metadata = { benchmark: spec.name, item_id: item.id, run_id: options.runId, model: options.model.description.modelName };
  return withSpan(
    "benchmark_item",
    {
      kind: OpenInferenceSpanKind.CHAIN,
      root: true,
      attributes: {
        [SC.TAG_TAGS]: benchTags(spec.name, options.runId),
        [SC.METADATA]: JSON.stringify(metadata),
        ...ioAttributes("input", { benchmark: spec.name, id: item.id }),
      },
    },
    async (span) => {
      const traceId = span.spanContext().traceId;
      let output: string;
      let usage: AIMessage["usage_metadata"];
      try {
        const reply = await options.model.withMaxTokens(prompt.maxTokens).invoke(toMessages(prompt, options.model.style), {
          ...(prompt.stop.length > 0 ? { stop: prompt.stop } : {}),
          signal: options.signal,
          tags: benchTags(spec.name, options.runId),
          metadata,
        });
        output = contentText(reply.content);
        usage = reply.usage_metadata;
      } catch (error) {
        markError(span, error);
        const message = error instanceof Error ? error.message : String(error);
        return {
          id: item.id,
          correct: false,
          extracted: null,
          expected: "",
          output: "",
          durationMs: Math.round(performance.now() - started),
          traceId,
          error: message,
        };
      }
      const scored = await spec.score(item, output);
      span.setAttributes({
        ...ioAttributes("output", { output, extracted: scored.extracted, expected: scored.expected, correct: scored.correct }),
        "benchmark.correct": scored.correct,
      });
      return {
        id: item.id,
        correct: scored.correct,
        extracted: scored.extracted,
        expected: scored.expected,
        output,
        ...(usage ? { promptTokens: usage.input_tokens, completionTokens: usage.output_tokens } : {}),
        durationMs: Math.round(performance.now() - started),
        traceId,
        details: { ...prompt.details, ...scored.details },
      };
    },
  );
}

/** Runs every item of one benchmark with bounded concurrency; results keep the item order. */
export async function runBenchmark(
  spec: BenchmarkSpec,
  options: RunBenchmarkOptions,
): Promise<{ summary: BenchSummary; items: ItemResult[] }> {
  const started = performance.now();
  let done = 0;
  let correct = 0;
  const results = await mapPool(
    spec.items,
    options.concurrency,
    async (item) => {
      const result = await runItem(spec, item, options);
      // An item cut short by Ctrl-C was not answered wrong; it was not answered.
      if (options.signal?.aborted && result.error) return undefined;
      done += 1;
      if (result.correct) correct += 1;
      options.onProgress?.(done, spec.items.length, correct);
      return result;
    },
    { stopped: () => options.signal?.aborted ?? false },
  );
  const items = results.filter((r): r is ItemResult => r !== undefined);
  return { summary: summarize(spec, items, performance.now() - started), items };
}

export function summarize(
  spec: Pick<BenchmarkSpec, "name" | "metric" | "chance">,
  items: readonly ItemResult[],
  wallMs: number,
): BenchSummary {
  const correct = items.filter((r) => r.correct).length;
  const n = items.length;
  return {
    benchmark: spec.name,
    metric: spec.metric,
    n,
    correct,
    accuracy: n === 0 ? 0 : correct / n,
    ci95: wilsonInterval(correct, n),
    chance: spec.chance,
    errors: items.filter((r) => r.error !== undefined).length,
    unparsed: items.filter((r) => r.error === undefined && r.extracted === null).length,
    wallMs: Math.round(wallMs),
    promptTokens: items.reduce((sum, r) => sum + (r.promptTokens ?? 0), 0),
    completionTokens: items.reduce((sum, r) => sum + (r.completionTokens ?? 0), 0),
  };
}
