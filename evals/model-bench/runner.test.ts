import { fileURLToPath } from "node:url";
import { context, trace } from "@opentelemetry/api";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { SemanticConventions as SC } from "@arizeai/openinference-semantic-conventions";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { instrumentLangChain } from "@/lib/telemetry/langchain-instrumentation";
import { benchmarkSpec, executeHumanEval } from "./benchmarks";
import { loadHumanEval } from "./load";
import { createBenchModel } from "./model";
import { runBenchmark } from "./runner";

// The runner end to end with the scripted stand-in model (exact replies) and a real tracer
// provider with the OpenInference LangChain instrumentation: scores, the Wilson interval, and
// the trace of each item (a tagged benchmark_item root with the LLM span under it). The items
// are the made-up ones in ./fixtures, laid out like BENCH_DATA_DIR: no public data needed.

const config = loadConfig();
const fixtures = fileURLToPath(new URL("./fixtures", import.meta.url));
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

beforeAll(() => {
  provider.register();
  instrumentLangChain({});
});
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
  context.disable();
});
beforeEach(() => exporter.reset());

describe("runBenchmark", () => {
  const options = {
    benchDataDir: fixtures,
    seed: 42,
    style: "chat" as const,
    mmluShots: 5,
    gsm8kShots: 8,
    humanEvalTimeoutMs: 5000,
  };

  it("scores GSM8K replies exactly and traces every item with the run's tags", async () => {
    const spec = benchmarkSpec("gsm8k", { ...options, limit: 4 });
    const answers = new Map(spec.items.map((item, index) => [item.kind === "gsm8k" ? item.question : "", index]));
    // Right answers for the first two items, off by one for the others.
    const model = createBenchModel(
      config,
      { provider: "scripted" },
      {
        script: ({ prompt }) => {
          const entry = [...answers.entries()].find(([question]) => prompt.includes(question))!;
          const item = spec.items[entry[1]]!;
          const answer = item.kind === "gsm8k" ? Number(item.answer) : 0;
          return `Some steps. The answer is ${entry[1] < 2 ? answer : answer + 1}.`;
        },
      },
    );
    const { summary, items } = await runBenchmark(spec, { runId: "test-run", model, concurrency: 2 });
    expect(items.map((i) => i.correct)).toEqual([true, true, false, false]);
    expect(summary).toMatchObject({ benchmark: "gsm8k", n: 4, correct: 2, accuracy: 0.5, errors: 0, unparsed: 0 });
    expect(summary.ci95.low).toBeCloseTo(0.15, 2);
    expect(summary.ci95.high).toBeCloseTo(0.85, 2);

    const spans = exporter.getFinishedSpans();
    const roots = spans.filter((s) => s.name === "benchmark_item");
    expect(roots).toHaveLength(4);
    for (const root of roots) {
      expect(root.attributes[SC.TAG_TAGS]).toEqual(["model-bench", "bench:gsm8k", "model-bench-run:test-run"]);
      expect(JSON.parse(String(root.attributes[SC.METADATA]))).toMatchObject({ benchmark: "gsm8k", run_id: "test-run" });
      const llm = spans.find(
        (s) => s.attributes[SC.OPENINFERENCE_SPAN_KIND] === "LLM" && s.spanContext().traceId === root.spanContext().traceId,
      );
      expect(llm).toBeDefined();
      expect(llm!.attributes[SC.LLM_TOKEN_COUNT_COMPLETION]).toBeGreaterThan(0);
    }
    expect(new Set(items.map((i) => i.traceId)).size).toBe(4);
  });

  it("a failing model call is a wrong answer with its error, not a crash", async () => {
    const spec = benchmarkSpec("truthfulqa", { ...options, limit: 2 });
    const model = createBenchModel(config, { provider: "scripted" }, { script: [{ text: "A", failAfterTokens: 0 }, "B"] });
    const { summary, items } = await runBenchmark(spec, { runId: "r", model, concurrency: 1 });
    expect(summary.errors).toBe(1);
    expect(items[0]!.error).toBeDefined();
    expect(items[0]!.correct).toBe(false);
  });
});

describe("HumanEval execution in the Python sandbox", () => {
  const tasks = loadHumanEval(fixtures).slice(0, 4);

  it("passes the canonical solutions", async () => {
    for (const task of tasks) {
      const result = await executeHumanEval(task, task.canonicalSolution, "continuation", 10_000);
      expect(result.ok, `${task.id}: ${result.stderr}`).toBe(true);
    }
  });

  it("fails broken ones: a wrong body, a syntax error, an endless loop", async () => {
    const [first, second, third] = tasks;
    expect((await executeHumanEval(first!, "    return not True\n", "continuation", 10_000)).ok).toBe(false);
    const syntax = await executeHumanEval(second!, "    return [(\n", "continuation", 10_000);
    expect(syntax.ok).toBe(false);
    expect(syntax.stderr).toMatch(/SyntaxError/);
    const loop = await executeHumanEval(third!, "    while True:\n        pass\n", "continuation", 800);
    expect(loop.error?.code).toBe("tool_timeout");
  });
});
