/**
 * `npm run eval`: the pre-deploy gate. Replays the datasets in evals/datasets through the real
 * agent, scores each answer (evals/evaluators), compares with evals/thresholds.json and the
 * committed evals/baseline.json, prints the table and writes JSON, HTML and JUnit reports.
 *
 * Exit codes: 0 pass, 1 quality gate failed, 2 the run itself broke (bad dataset line, bad
 * config, a model or the index missing).
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { SingleBar, Presets } from "cli-progress";
import { loadConfig } from "../lib/config";
import { AppError } from "../lib/errors";
import { DatasetError } from "@/lib/datasets/dataset-example";
import { formatSummaryTable } from "../evals/report/summary-table";
import { writeReports } from "../evals/report/write-reports";
import { applyGate, baselineFrom, baselineSchema, readJsonFile, thresholdsSchema, type Baseline } from "../evals/runner/gate";
import { selectExamples } from "../evals/runner/select-examples";
import type { EvalRunResult } from "../evals/runner/types";

const USAGE = `Usage: npm run eval -- [options]
  --ci                   the fixed CI subset (examples tagged "ci")
  --dataset <name>       only this dataset (repeatable): manual, routing, synthetic, production
  --filter <regex>       only examples whose id or a tag matches
  --limit <n>            at most n examples
  --concurrency <n>      examples in flight (default 1 with the local model, 4 with an API)
  --include-unreviewed   also run synthetic examples nobody has accepted yet
  --update-baseline      accept this run as the new baseline (evals/baseline.json)
  --baseline <file>      compare with this baseline instead
  --thresholds <file>    floors per metric (default evals/thresholds.json)
  --out <dir>            where reports go (default reports/eval)
  --datasets <dir>       where the JSONL datasets are (default evals/datasets)`;

const SETUP_CODES = new Set([
  "config_invalid",
  "model_missing",
  "index_missing",
  "bad_request",
  "model_checksum_mismatch",
  "corpus_invalid",
]);

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      ci: { type: "boolean", default: false },
      dataset: { type: "string", multiple: true },
      filter: { type: "string" },
      limit: { type: "string" },
      concurrency: { type: "string" },
      "include-unreviewed": { type: "boolean", default: false },
      "update-baseline": { type: "boolean", default: false },
      baseline: { type: "string", default: "evals/baseline.json" },
      thresholds: { type: "string", default: "evals/thresholds.json" },
      out: { type: "string", default: "reports/eval" },
      datasets: { type: "string", default: "evals/datasets" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const positive = (name: string, raw: string | undefined) => {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new AppError("bad_request", `--${name} must be a positive integer, got "${raw}"`);
    return n;
  };
  const config = loadConfig();
  const started = Date.now();
  const runId = `eval-${new Date(started).toISOString().replace(/[:.]/g, "-")}`;
  const selected = selectExamples(path.resolve(values.datasets), {
    datasets: values.dataset,
    ci: values.ci,
    filter: values.filter,
    limit: positive("limit", values.limit),
    includeUnreviewed: values["include-unreviewed"],
  });
  const thresholds = readJsonFile(path.resolve(values.thresholds), thresholdsSchema, "thresholds");
  const baselinePath = path.resolve(values.baseline);
  const baseline: Baseline | undefined = fs.existsSync(baselinePath) ? readJsonFile(baselinePath, baselineSchema, "baseline") : undefined;
  const concurrency = positive("concurrency", values.concurrency) ?? (config.llm.provider === "openai" ? 4 : 1);

  // The agent, models and evaluators load only once the inputs are known to be good: a bad
  // dataset line or flag fails in a second, not after the models have loaded.
  const [
    { getChatDeps },
    { describeModel },
    { startNodeTracing },
    { allEvaluators },
    { createJudgeModel, describeJudge },
    { annotateTraces },
    { recordExperiment },
    { runEval },
  ] = await Promise.all([
    import("../agents/runtime"),
    import("../lib/llm/provider"),
    import("../lib/telemetry/node-tracing"),
    import("../evals/evaluators"),
    import("../evals/judges/judge-model"),
    import("../evals/runner/annotate"),
    import("../evals/runner/phoenix-experiment"),
    import("../evals/runner/run-eval"),
  ]);
  const tracing = startNodeTracing(config);
  const deps = await getChatDeps();
  const judge = createJudgeModel(config, config.evalJudge);
  const model = describeModel(config.llm);
  const judgeModel = describeJudge(config, config.evalJudge);
  console.log(
    `Eval run ${runId}: ${selected.length} examples, model ${model.provider}/${model.modelName}, judge ${judgeModel.provider}/${judgeModel.modelName}`,
  );

  const bar = new SingleBar(
    { format: "{bar} {value}/{total} examples | {eta_formatted} left | {last}", hideCursor: true },
    Presets.shades_classic,
  );
  bar.start(selected.length, 0, { last: "" });
  const examples = await runEval(selected, deps, {
    runId,
    evaluators: allEvaluators({ k: config.retrievalK }),
    judge,
    concurrency,
    tracing,
    onProgress: (done, example) => bar.update(done, { last: example.exampleId }),
  });
  bar.stop();
  // A model or index that is missing breaks every example the same way: that is a broken run.
  const setup = examples.find((e) => e.error && SETUP_CODES.has(e.error.code));
  if (setup?.error) throw new AppError(setup.error.code as "model_missing", setup.error.message);

  const gate = applyGate(examples, thresholds, baseline);
  const settings = {
    provider: model.provider,
    model: model.modelName,
    judge: `${judgeModel.provider}/${judgeModel.modelName}`,
    datasets: [...new Set(selected.map((s) => s.dataset))],
    ci: values.ci,
    ...(values.filter ? { filter: values.filter } : {}),
    ...(values.limit ? { limit: Number(values.limit) } : {}),
    concurrency,
  };
  const result: EvalRunResult = {
    runId,
    startedAt: new Date(started).toISOString(),
    wallMs: Date.now() - started,
    settings,
    examples,
    ...gate,
  };

  if (tracing) {
    const sent = await annotateTraces(examples, { runId, traceLog: tracing.traceLog, phoenix: tracing.phoenix, flush: tracing.flush });
    const experiment = tracing.phoenix
      ? await recordExperiment(result, selected, tracing.phoenix, config, path.resolve(values.datasets))
      : undefined;
    console.log(
      `Scores attached to traces: ${sent.logged} in the trace log, ${sent.phoenix} in Phoenix` +
        (experiment ? `; Phoenix experiment ${experiment.url ?? experiment.experimentId}` : ""),
    );
  }
  const files = await writeReports(result, path.resolve(values.out));
  console.log(`\n${formatSummaryTable(result, { color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR })}`);
  console.log(`Reports: ${files.json}, ${files.html}, ${files.junit}`);

  // Push the last spans out (Phoenix, the log) before the process exits.
  await tracing?.shutdown();
  if (values["update-baseline"]) {
    fs.writeFileSync(`${baselinePath}.tmp`, `${JSON.stringify(baselineFrom(runId, settings, examples, baseline), null, 2)}\n`);
    fs.renameSync(`${baselinePath}.tmp`, baselinePath);
    console.log(`Baseline updated: ${path.relative(process.cwd(), baselinePath)}`);
    return 0;
  }
  return result.passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof DatasetError) console.error(`eval: dataset error: ${error.message}`);
    else if (error instanceof AppError)
      console.error(`eval: ${error.code}: ${error.message}${SETUP_CODES.has(error.code) ? "" : " (the run broke)"}`);
    else console.error(`eval: the run broke: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(2);
  },
);
