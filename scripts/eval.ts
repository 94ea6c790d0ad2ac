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
import { SingleBar, Presets } from "cli-progress";
import type { z } from "zod";
import { loadConfig, type AppConfig } from "../lib/config";
import { AppError, errorCategory } from "../lib/errors";
import { DatasetError } from "@/lib/datasets/dataset-example";
import { readTraceExport, TRACE_EXPORT_SUFFIX } from "@/lib/curation/trace-export";
import type { TracingPipeline } from "../lib/telemetry/tracing-pipeline";
import type { AgentDeps } from "../agents/graph/types";
import type { Evaluator, JudgeModel } from "../evals/evaluators/types";
import { ungatedJudges } from "../evals/judges/judge-gating";
import { humanAgreement } from "../evals/report/human-agreement";
import { productionFeedback } from "../evals/runner/production-feedback";
import { readQualification } from "../evals/judges/qualification";
import { formatSummaryTable } from "../evals/report/summary-table";
import { writeReports } from "../evals/report/write-reports";
import { applyGate, baselineFrom, baselineSchema, readJsonFile, thresholdsSchema, type Baseline } from "../evals/runner/gate";
import { selectExamples, type SelectedExample } from "../evals/runner/select-examples";
import type { EvalRunResult, ExampleResult } from "../evals/runner/types";
import { parseEvalFlags, USAGE, type EvalFlags } from "./eval/eval-flags";
import { withTracing } from "./cli/with-tracing";

interface EvalInputs {
  selected: SelectedExample[];
  thresholds: z.infer<typeof thresholdsSchema>;
  baselinePath: string;
  baseline?: Baseline;
  concurrency: number;
}

/** The datasets, thresholds and baseline, read and checked before anything heavy loads. */
function readInputs(flags: EvalFlags, config: AppConfig): EvalInputs {
  const selected = selectExamples(path.resolve(flags.datasets), {
    datasets: flags.dataset,
    ci: flags.ci,
    filter: flags.filter,
    split: flags.split,
    limit: flags.limit,
    includeUnreviewed: flags["include-unreviewed"],
  });
  const thresholds = readJsonFile(path.resolve(flags.thresholds), thresholdsSchema, "thresholds");
  const baselinePath = path.resolve(flags.baseline);
  const baseline = fs.existsSync(baselinePath) ? readJsonFile(baselinePath, baselineSchema, "baseline") : undefined;
  const concurrency = flags.concurrency ?? (config.llm.provider === "openai" ? 4 : 1);
  return { selected, thresholds, baselinePath, ...(baseline ? { baseline } : {}), concurrency };
}

/** The agent, models and evaluators: loaded only once the inputs are known to be good. */
async function loadRuntime() {
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
  return {
    getChatDeps,
    describeModel,
    startNodeTracing,
    allEvaluators,
    createJudgeModel,
    describeJudge,
    annotateTraces,
    recordExperiment,
    runEval,
  };
}
type Runtime = Awaited<ReturnType<typeof loadRuntime>>;

interface ReplayContext {
  runtime: Runtime;
  config: AppConfig;
  inputs: EvalInputs;
  runId: string;
  tracing?: TracingPipeline;
}

/** Every selected example through the agent and the evaluators, with a progress bar. */
async function replay(
  { runtime, inputs, runId, tracing }: ReplayContext,
  deps: AgentDeps,
  judge: JudgeModel,
  evaluators: readonly Evaluator[],
) {
  const bar = new SingleBar(
    { format: "{bar} {value}/{total} examples | {eta_formatted} left | {last}", hideCursor: true },
    Presets.shades_classic,
  );
  bar.start(inputs.selected.length, 0, { last: "" });
  const examples = await runtime.runEval(inputs.selected, deps, {
    runId,
    evaluators,
    judge,
    concurrency: inputs.concurrency,
    tracing,
    onProgress: (done, example) => bar.update(done, { last: example.exampleId }),
  });
  bar.stop();
  return examples;
}

/** A model or index that is missing breaks every example the same way: that is a broken run, not a score. */
function throwIfSetupBroke(examples: readonly ExampleResult[]): void {
  const broken = examples.find((e) => e.error && errorCategory(e.error.code) === "setup")?.error;
  if (broken) throw new AppError(broken.code, broken.message);
}

/** The scores on the examples' traces (trace log, Phoenix) and, with Phoenix, the run as an experiment. */
async function publishScores(
  { runtime, config, inputs }: ReplayContext,
  result: EvalRunResult,
  tracing: TracingPipeline,
  datasetsDir: string,
) {
  const { examples, runId } = result;
  const sent = await runtime.annotateTraces(examples, {
    runId,
    traceLog: tracing.traceLog,
    phoenix: tracing.phoenix,
    flush: () => tracing.flush(),
  });
  const experiment = tracing.phoenix
    ? await runtime.recordExperiment(result, inputs.selected, tracing.phoenix, config, datasetsDir)
    : undefined;
  console.log(
    `Scores attached to traces: ${sent.logged} in the trace log, ${sent.phoenix} in Phoenix` +
      (experiment ? `; Phoenix experiment ${experiment.url ?? experiment.experimentId}` : ""),
  );
}

/** Runs, gates and reports; tracing is shut down before it returns, on success and on error. */
async function evaluate(flags: EvalFlags, config: AppConfig, inputs: EvalInputs, started: number): Promise<EvalRunResult> {
  const runId = `eval-${new Date(started).toISOString().replace(/[:.]/g, "-")}`;
  const runtime = await loadRuntime();
  const tracing = runtime.startNodeTracing(config);
  const context: ReplayContext = { runtime, config, inputs, runId, ...(tracing ? { tracing } : {}) };
  return withTracing(tracing, async () => {
    const deps = await runtime.getChatDeps();
    const judge = runtime.createJudgeModel(config, config.evalJudge);
    const model = runtime.describeModel(config.llm);
    const judgeModel = runtime.describeJudge(config, config.evalJudge);
    console.log(
      `Eval run ${runId}: ${inputs.selected.length} examples, model ${model.provider}/${model.modelName}, judge ${judgeModel.provider}/${judgeModel.modelName}`,
    );
    const all = runtime.allEvaluators({ k: config.retrievalK });
    // --code-only: no LLM judge calls, several times faster while tuning on dev.
    const evaluators = flags["code-only"] ? all.filter((e) => e.kind !== "LLM") : all;
    const llmJudge = `${judgeModel.provider}/${judgeModel.modelName}`;
    const selfJudging = llmJudge === `${model.provider}/${model.modelName}`;
    if (selfJudging) console.log("The LLM judge is the app's own chat model (self-judging): its metrics gate only if qualified.");
    const ungated = ungatedJudges(evaluators, readQualification(), inputs.thresholds.judges, {
      llmJudge,
      selfJudging,
      embeddingModel: deps.embedder.modelName,
    });
    const examples = await replay(context, deps, judge, evaluators);
    throwIfSetupBroke(examples);
    const settings = {
      provider: model.provider,
      model: model.modelName,
      judge: llmJudge,
      selfJudging,
      datasets: [...new Set(inputs.selected.map((s) => s.dataset))],
      ci: flags.ci,
      ...(flags.filter ? { filter: flags.filter } : {}),
      ...(flags.split ? { split: flags.split } : {}),
      ...(flags.limit ? { limit: flags.limit } : {}),
      concurrency: inputs.concurrency,
    };
    const gate = applyGate(examples, inputs.thresholds, inputs.baseline, {
      ...(flags["fail-on-regressions"] !== undefined ? { failOnRegressions: flags["fail-on-regressions"] } : {}),
      // A run narrowed on purpose has metrics without examples: no data is expected there.
      requireData: !flags.filter && !flags.limit,
      ungated,
    });
    const agreement = humanAgreement({
      examples,
      judges: evaluators.filter((e) => e.judge).map((e) => e.name),
      passScore: inputs.thresholds.passScore,
      feedback: await productionFeedback(
        inputs.selected,
        examples,
        readTraceExport(path.join(path.resolve(flags.datasets), `production${TRACE_EXPORT_SUFFIX}`)),
        tracing?.traceLog,
      ),
    });
    const result: EvalRunResult = {
      runId,
      agreement,
      startedAt: new Date(started).toISOString(),
      wallMs: Date.now() - started,
      settings,
      examples,
      ...gate,
    };
    if (tracing) await publishScores(context, result, tracing, path.resolve(flags.datasets));
    const files = await writeReports(result, path.resolve(flags.out));
    console.log(`\n${formatSummaryTable(result, { color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR })}`);
    console.log(`Reports: ${files.json}, ${files.html}, ${files.junit}`);
    return result;
  });
}

function updateBaseline(result: EvalRunResult, inputs: EvalInputs): void {
  const { baselinePath } = inputs;
  fs.writeFileSync(
    `${baselinePath}.tmp`,
    `${JSON.stringify(baselineFrom(result.runId, result.settings, result.examples, inputs.baseline), null, 2)}\n`,
  );
  fs.renameSync(`${baselinePath}.tmp`, baselinePath);
  console.log(`Baseline updated: ${path.relative(process.cwd(), baselinePath)}`);
}

async function main(): Promise<number> {
  const flags = parseEvalFlags(process.argv.slice(2));
  if (flags.help) {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig();
  const started = Date.now();
  // A bad dataset line or flag fails in a second, not after the models have loaded.
  const inputs = readInputs(flags, config);
  const result = await evaluate(flags, config, inputs, started);
  if (flags["update-baseline"]) {
    if (!result.passed && !flags.force) {
      console.error("eval: the gate failed, so the baseline was not updated (add --force to accept this run anyway)");
      return 1;
    }
    updateBaseline(result, inputs);
    return 0;
  }
  return result.passed ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof DatasetError) console.error(`eval: dataset error: ${error.message}`);
    else if (error instanceof AppError)
      console.error(`eval: ${error.code}: ${error.message}${error.category === "runtime" ? " (the run broke)" : ""}`);
    else console.error(`eval: the run broke: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(2);
  },
);
