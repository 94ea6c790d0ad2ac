/**
 * `npm run eval:model`: model-level benchmarks (MMLU, GSM8K, HumanEval, TruthfulQA MC1) for the
 * local models or an API model, each item traced like the app and tagged with the run id.
 *
 *   npm run eval:model -- [--bench mmlu,gsm8k,humaneval,truthfulqa] [--limit N] [--provider local|openai]
 *                         [--model smollm2-135m|gemma-3-270m|<openai model>] [--concurrency N] [--seed 42]
 *                         [--mmlu-shots 5] [--gsm8k-shots 8] [--humaneval-timeout-ms 5000] [--out reports/model-bench]
 *
 * Exit codes: 0 done, 2 bad flags, missing or malformed benchmark data, or a model that cannot run.
 * Ctrl-C stops the run, drops the item in flight and still reports and writes what finished.
 */
import path from "node:path";
import { Presets, SingleBar } from "cli-progress";
import { z } from "zod";
import { parseFlags } from "../lib/cli/parse-flags";
import { loadConfig } from "../lib/config";
import { AppError } from "../lib/errors";
import { benchmarkSpec, type BenchmarkSpec } from "../evals/model-bench/benchmarks";
import { createBenchModel, type BenchModel } from "../evals/model-bench/model";
import { formatTable, reportEntry, writeReport, type ModelBenchReport } from "../evals/model-bench/report";
import { runBenchmark, type RunBenchmarkOptions } from "../evals/model-bench/runner";
import { BENCH_NAMES } from "../evals/model-bench/types";
import { splitList } from "./cli/list-flags";
import { withTracing } from "./cli/with-tracing";

const positiveInt = z.coerce.number().int().min(1);
const flagsSchema = z.object({
  bench: z
    .string()
    .default(BENCH_NAMES.join(","))
    .transform(splitList)
    .pipe(z.array(z.enum(BENCH_NAMES)).min(1)),
  limit: positiveInt.optional(),
  provider: z.enum(["local", "openai"]).optional(),
  model: z.string().min(1).optional(),
  concurrency: positiveInt.max(64).optional(),
  seed: z.coerce.number().int().min(0).default(42),
  "mmlu-shots": z.coerce.number().int().min(0).max(5).default(5),
  "gsm8k-shots": z.coerce.number().int().min(0).max(8).default(8),
  "humaneval-timeout-ms": positiveInt.max(60_000).default(5000),
  out: z.string().min(1).default(path.join("reports", "model-bench")),
});
type Flags = z.infer<typeof flagsSchema>;

function settingsFor(flags: Flags, model: BenchModel, benchDataDir: string): ModelBenchReport["settings"] {
  return {
    benchmarks: flags.bench,
    ...(flags.limit !== undefined ? { limit: flags.limit } : {}),
    seed: flags.seed,
    concurrency: flags.concurrency ?? (model.description.provider === "openai" ? 4 : 1),
    promptStyle: model.style,
    mmluShots: flags["mmlu-shots"],
    gsm8kShots: flags["gsm8k-shots"],
    humanEvalTimeoutMs: flags["humaneval-timeout-ms"],
    benchDataDir,
  };
}

/** Every benchmark file read and checked before the model loads: bad data fails in a second. */
function readSpecs(flags: Flags, settings: ModelBenchReport["settings"], model: BenchModel): BenchmarkSpec[] {
  return flags.bench.map((name) =>
    benchmarkSpec(name, {
      benchDataDir: settings.benchDataDir,
      limit: flags.limit,
      seed: flags.seed,
      style: model.style,
      mmluShots: settings.mmluShots,
      gsm8kShots: settings.gsm8kShots,
      humanEvalTimeoutMs: settings.humanEvalTimeoutMs,
    }),
  );
}

/** One benchmark with a progress bar; a model that cannot load (every item failing to find it) is a broken run. */
async function runWithProgress(spec: BenchmarkSpec, options: Omit<RunBenchmarkOptions, "onProgress">) {
  const bar = new SingleBar(
    {
      format: `${spec.name.padEnd(10)} {bar} {value}/{total} | score {score}% | {eta_formatted} left`,
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 30_000,
    },
    Presets.shades_classic,
  );
  bar.start(spec.items.length, 0, { score: "–" });
  const run = await runBenchmark(spec, {
    ...options,
    onProgress: (done, _total, correct) => bar.update(done, { score: ((100 * correct) / done).toFixed(1) }),
  });
  bar.stop();
  const setup = run.items.find((item) => item.error && /npm run models|not found at/.test(item.error));
  if (setup?.error && run.items.every((item) => item.error)) throw new AppError("model_missing", setup.error);
  return run;
}

/** Ctrl-C stops the run: the item in flight is dropped, the finished ones are reported. */
function stopOnCtrlC(): AbortSignal {
  const controller = new AbortController();
  process.once("SIGINT", () => {
    console.error("\nStopping: the item in flight is dropped, the finished ones are reported.");
    controller.abort();
  });
  return controller.signal;
}

/** Runs the benchmarks in turn, rewriting the report after each; returns the report's file. */
async function runAll(report: ModelBenchReport, specs: readonly BenchmarkSpec[], model: BenchModel, outDir: string): Promise<string> {
  const signal = stopOnCtrlC();
  const started = Date.parse(report.startedAt);
  let file = "";
  for (const spec of specs) {
    if (signal.aborted) break;
    const { summary, items } = await runWithProgress(spec, {
      runId: report.runId,
      model,
      concurrency: report.settings.concurrency,
      signal,
    });
    report.results.push(reportEntry(model.description.modelName, summary, items));
    report.wallMs = Date.now() - started;
    file = writeReport(report, outDir);
  }
  return file;
}

async function humanEvalSandbox(benchmarks: readonly string[]): Promise<ModelBenchReport["sandbox"]> {
  if (!benchmarks.includes("humaneval")) return undefined;
  const { prefix: _prefix, ...isolation } = (await import("../lib/sandbox/python-runner")).detectPythonIsolation();
  return isolation;
}

async function main(): Promise<number> {
  const flags = parseFlags(process.argv.slice(2), flagsSchema, { usageHint: "see the header of scripts/eval-model.ts" });
  const config = loadConfig();
  const model = createBenchModel(config, { provider: flags.provider, model: flags.model });
  const settings = settingsFor(flags, model, config.benchDataDir);
  const specs = readSpecs(flags, settings, model);
  const sandbox = await humanEvalSandbox(flags.bench);

  const [{ startNodeTracing }, { disposeLocalRuntimes }] = await Promise.all([
    import("../lib/telemetry/node-tracing"),
    import("../lib/llm/local-runtime"),
  ]);
  const tracing = startNodeTracing(config);
  const started = Date.now();
  const runId = `model-bench-${new Date(started).toISOString().replace(/[:.]/g, "-")}`;
  console.log(
    `Model bench ${runId}: ${model.description.provider}/${model.description.modelName}, ${specs.map((s) => `${s.name} ${s.items.length}`).join(", ")}, ` +
      `concurrency ${settings.concurrency}, seed ${flags.seed}` +
      (sandbox ? `; HumanEval sandbox: network ${sandbox.network}, user ${sandbox.user}` : ""),
  );
  const report: ModelBenchReport = {
    runId,
    startedAt: new Date(started).toISOString(),
    wallMs: 0,
    model: model.description,
    settings,
    ...(sandbox ? { sandbox } : {}),
    results: [],
  };
  const file = await withTracing(tracing, () => runAll(report, specs, model, path.resolve(flags.out)));
  console.log(`\n${formatTable(report)}`);
  console.log(`\nReport: ${path.relative(process.cwd(), file) || file}${tracing ? `; traces tagged model-bench-run:${runId}` : ""}`);
  await disposeLocalRuntimes();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof AppError) console.error(`eval:model: [${error.code}] ${error.message}`);
    else console.error(`eval:model: the run broke: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    // Bad flags, missing or malformed data, a model that cannot run: the operator fixes something (2).
    process.exit(error instanceof AppError && error.category !== "runtime" ? 2 : 1);
  },
);
