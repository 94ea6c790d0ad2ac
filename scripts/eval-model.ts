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
import { parseArgs } from "node:util";
import { Presets, SingleBar } from "cli-progress";
import { z } from "zod";
import { loadConfig } from "../lib/config";
import { AppError } from "../lib/errors";
import { benchmarkSpec, type BenchmarkSpec } from "../evals/model-bench/benchmarks";
import { createBenchModel } from "../evals/model-bench/model";
import { formatTable, reportEntry, writeReport, type ModelBenchReport } from "../evals/model-bench/report";
import { runBenchmark } from "../evals/model-bench/runner";
import { BENCH_NAMES } from "../evals/model-bench/types";

const positiveInt = z.coerce.number().int().min(1);
const argsSchema = z.object({
  bench: z
    .string()
    .default(BENCH_NAMES.join(","))
    .transform((raw) =>
      raw
        .split(",")
        .map((name) => name.trim())
        .filter(Boolean),
    )
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

function parseFlags(argv: string[]): z.infer<typeof argsSchema> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv.filter((arg) => arg !== "--"),
      options: Object.fromEntries(Object.keys(argsSchema.shape).map((key) => [key, { type: "string" as const }])),
      strict: true,
    }));
  } catch (error) {
    throw new AppError(
      "bad_request",
      `${error instanceof Error ? error.message : String(error)} (see the header of scripts/eval-model.ts)`,
    );
  }
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) {
    throw new AppError("bad_request", parsed.error.issues.map((issue) => `--${issue.path.join(".")}: ${issue.message}`).join("; "));
  }
  return parsed.data;
}

const EXIT_2 = new Set([
  "bad_request",
  "config_invalid",
  "benchmark_missing",
  "benchmark_invalid",
  "model_missing",
  "model_checksum_mismatch",
]);

async function main(): Promise<number> {
  const flags = parseFlags(process.argv.slice(2));
  const config = loadConfig();
  const model = createBenchModel(config, { provider: flags.provider, model: flags.model });
  const concurrency = flags.concurrency ?? (model.description.provider === "openai" ? 4 : 1);
  const settings: ModelBenchReport["settings"] = {
    benchmarks: flags.bench,
    ...(flags.limit !== undefined ? { limit: flags.limit } : {}),
    seed: flags.seed,
    concurrency,
    promptStyle: model.style,
    mmluShots: flags["mmlu-shots"],
    gsm8kShots: flags["gsm8k-shots"],
    humanEvalTimeoutMs: flags["humaneval-timeout-ms"],
    benchDataDir: config.benchDataDir,
  };
  // Every benchmark file is read and checked before the model loads: bad data fails in a second.
  const specs: BenchmarkSpec[] = flags.bench.map((name) =>
    benchmarkSpec(name, {
      benchDataDir: config.benchDataDir,
      limit: flags.limit,
      seed: flags.seed,
      style: model.style,
      mmluShots: settings.mmluShots,
      gsm8kShots: settings.gsm8kShots,
      humanEvalTimeoutMs: settings.humanEvalTimeoutMs,
    }),
  );
  const sandbox = flags.bench.includes("humaneval")
    ? (({ prefix: _prefix, ...isolation }) => isolation)((await import("../lib/sandbox/python-runner")).detectPythonIsolation())
    : undefined;

  const [{ startNodeTracing }, { disposeLocalRuntimes }] = await Promise.all([
    import("../lib/telemetry/node-tracing"),
    import("../lib/llm/local-runtime"),
  ]);
  const tracing = startNodeTracing(config);
  const started = Date.now();
  const runId = `model-bench-${new Date(started).toISOString().replace(/[:.]/g, "-")}`;
  const controller = new AbortController();
  process.once("SIGINT", () => {
    console.error("\nStopping: the item in flight is dropped, the finished ones are reported.");
    controller.abort();
  });
  console.log(
    `Model bench ${runId}: ${model.description.provider}/${model.description.modelName}, ${specs.map((s) => `${s.name} ${s.items.length}`).join(", ")}, ` +
      `concurrency ${concurrency}, seed ${flags.seed}` +
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
  const outDir = path.resolve(flags.out);
  let file = "";
  for (const spec of specs) {
    if (controller.signal.aborted) break;
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
    const { summary, items } = await runBenchmark(spec, {
      runId,
      model,
      concurrency,
      signal: controller.signal,
      onProgress: (done, _total, correct) => bar.update(done, { score: ((100 * correct) / done).toFixed(1) }),
    });
    bar.stop();
    // A model that cannot load fails every item the same way: that is a broken run, not a score.
    const setup = items.find((item) => item.error && /npm run models|not found at/.test(item.error));
    if (setup?.error && items.every((item) => item.error)) throw new AppError("model_missing", setup.error);
    report.results.push(reportEntry(model.description.modelName, summary, items));
    report.wallMs = Date.now() - started;
    file = writeReport(report, outDir);
  }

  console.log(`\n${formatTable(report)}`);
  console.log(`\nReport: ${path.relative(process.cwd(), file) || file}${tracing ? `; traces tagged model-bench-run:${runId}` : ""}`);
  await tracing?.shutdown();
  await disposeLocalRuntimes();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof AppError) console.error(`eval:model: [${error.code}] ${error.message}`);
    else console.error(`eval:model: the run broke: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(error instanceof AppError && EXIT_2.has(error.code) ? 2 : 1);
  },
);
