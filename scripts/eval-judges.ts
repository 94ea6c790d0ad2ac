/**
 * `npm run eval:judges`: measures the eval judges against labeled data in BENCH_DATA_DIR
 * (../shared/benchmarks, see its SOURCES.md): the hallucination evaluators on HaluEval QA and
 * HaluEval general, the toxicity evaluators on the Surge sample, the summarization-faithfulness
 * evaluators on FaithBench. Prints precision / recall / F1 / accuracy per evaluator and judge,
 * with the sample size, and writes everything (per-item verdicts included) to reports/judges.json.
 *
 *   npm run eval:judges -- [--split test|dev] [--limit 100] [--task halueval-qa,toxicity] [--judge local|openai|all]
 *                          [--seed 42] [--file <path>] [--concurrency n] [--unfaithful-at 3] [--out reports/judges.json]
 *
 * --split        which half of each benchmark file (evals/judges/benchmark-split.ts): tune on dev;
 *                a test run also writes evals/judges/qualification.json, which the eval gate reads.
 * --limit        items per task (default 100): HaluEval QA takes 50 questions x 2 answers; the
 *                others take 50 positives and 50 negatives, sampled with --seed.
 * --judge        none: only the CODE and learned judges (claim check, content support, lexicon, classifier);
 *                local: only the embedded LLM judge (or EVAL_JUDGE_MODEL when EVAL_JUDGE_PROVIDER=local);
 *                openai: only the API judge from EVAL_JUDGE_* / OPENAI_*, skipped without a key or base URL;
 *                all (default): every judge.
 * --file         another file for the single --task given (e.g. a held-out split).
 * --unfaithful-at  ratings at or below this count as "unfaithful" (default 3); the JSON has every threshold.
 * --qualification  where a test run records the judges' qualification (default evals/judges/qualification.json).
 */
import cliProgress from "cli-progress";
import path from "node:path";
import { z } from "zod";
import { parseFlags } from "../lib/cli/parse-flags";
import { getConfig, type AppConfig } from "../lib/config";
import { toAppError } from "../lib/errors";
import { disposeLocalRuntimes } from "../lib/llm/local-runtime";
import type { JudgeModel } from "../evals/evaluators/types";
import { getEmbedder } from "../lib/embeddings/transformers-embedder";
import { benchmarkPath } from "../evals/judges/benchmark-data";
import { itemsOfSplit } from "../evals/judges/benchmark-split";
import { qualificationEntries } from "../evals/judges/qualification-entries";
import { writeQualification, QUALIFICATION_FILE } from "../evals/judges/qualification";
import { createJudgeModel, describeJudge, hasApiJudge, type EvalJudgeConfig } from "../evals/judges/judge-model";
import { formatTable, writeReport, type SkippedJudge } from "../evals/judges/report";
import { runDetector, sampleItems, type DetectorResult } from "../evals/judges/run-judges";
import { judgeTasks, TASK_NAMES } from "../evals/judges/tasks";
import { repeatedList } from "./cli/list-flags";

const flagsSchema = z
  .object({
    limit: z.coerce.number().int().min(2).max(100_000).default(100),
    split: z.enum(["dev", "test"]).default("test"),
    task: z
      .array(z.string())
      .transform(repeatedList)
      .pipe(z.array(z.enum(TASK_NAMES)).min(1))
      .default([...TASK_NAMES]),
    judge: z.enum(["local", "openai", "all", "none"]).default("all"),
    seed: z.coerce.number().int().min(0).default(42),
    file: z.string().optional(),
    concurrency: z.coerce.number().int().min(1).max(32).optional(),
    "unfaithful-at": z.coerce.number().int().min(1).max(4).optional(),
    out: z.string().default(path.join("reports", "judges.json")),
    qualification: z.string().default(QUALIFICATION_FILE),
  })
  .refine((flags) => !flags.file || flags.task.length === 1, { message: "needs exactly one --task", path: ["file"] });
type Args = z.infer<typeof flagsSchema>;

function parseJudgeFlags(argv: readonly string[]): Args {
  return parseFlags(argv, flagsSchema, { repeatable: ["task"], usageHint: "see the header of scripts/eval-judges.ts" });
}

interface JudgeChoice {
  name: "local" | "openai";
  label: string;
  /** "provider/model", as the eval run names its judge. */
  modelId?: string;
  model?: JudgeModel;
  concurrency: number;
  skipReason?: string;
}

function judgeChoice(config: AppConfig, name: JudgeChoice["name"], judge: EvalJudgeConfig, concurrency: number): JudgeChoice {
  const described = describeJudge(config, judge);
  return {
    name,
    label: `${name} (${described.modelName})`,
    modelId: `${described.provider}/${described.modelName}`,
    model: createJudgeModel(config, judge),
    concurrency,
  };
}

function chooseJudges(args: Args): JudgeChoice[] {
  const config = getConfig();
  const configured = config.evalJudge;
  const choices: JudgeChoice[] = [];
  if (args.judge === "none") return choices;
  if (args.judge !== "openai") {
    const local: EvalJudgeConfig = { provider: "local", model: configured.provider === "local" ? configured.model : undefined };
    choices.push(judgeChoice(config, "local", local, args.concurrency ?? 1));
  }
  if (args.judge !== "local") {
    const api: EvalJudgeConfig = { ...configured, provider: "openai" };
    choices.push(
      hasApiJudge(config, api)
        ? judgeChoice(config, "openai", api, args.concurrency ?? 4)
        : { name: "openai", label: "openai", concurrency: 0, skipReason: "skipped: no API key" },
    );
  }
  return choices;
}

async function main(): Promise<void> {
  const args = parseJudgeFlags(process.argv.slice(2));
  const config = getConfig();
  const judges = chooseJudges(args);
  const tasks = judgeTasks({ faithfulness: { unfaithfulAtOrBelow: args["unfaithful-at"] } }).filter((t) => args.task.includes(t.name));
  const embedder = getEmbedder(config);
  const started = performance.now();
  const results: DetectorResult[] = [];
  const skipped: SkippedJudge[] = [];
  const bar = new cliProgress.SingleBar(
    {
      format: "{task} {evaluator} {judge} [{bar}] {value}/{total} | {eta_formatted} left",
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 15_000,
    },
    cliProgress.Presets.shades_classic,
  );
  for (const task of tasks) {
    const file = args.file ?? benchmarkPath(config.benchDataDir, task.file);
    const all = task.load(file);
    const half = itemsOfSplit(all, args.split);
    const items = sampleItems(task, half, args.limit, args.seed);
    const positives = items.filter((i) => i.label).length;
    console.log(
      `${task.name}: ${items.length} of the ${half.length} ${args.split} items of ${path.relative(process.cwd(), file)} (${positives} positive)`,
    );
    for (const detector of task.detectors) {
      // CODE and learned judges run with --judge none or all; one LLM judge alone does not rerun them.
      const runs = detector.evaluator.kind === "CODE" ? (args.judge === "none" || args.judge === "all" ? [undefined] : []) : judges;
      for (const judge of runs) {
        if (judge?.skipReason) {
          skipped.push({ task: task.name, evaluator: detector.evaluator.name, judge: judge.label, reason: judge.skipReason });
          console.log(`  ${detector.evaluator.name} with ${judge.label}: ${judge.skipReason}`);
          continue;
        }
        const showBar = judge !== undefined;
        if (showBar) bar.start(items.length, 0, { task: task.name, evaluator: detector.evaluator.name, judge: judge.label });
        const result = await runDetector(task, detector, items, {
          judge: judge?.model,
          embedder,
          judgeName: judge?.label ?? "-",
          concurrency: judge?.concurrency ?? 1,
          onItem: showBar ? () => bar.increment() : undefined,
        });
        if (showBar) bar.stop();
        results.push(result);
      }
    }
  }
  const wallMs = Math.round(performance.now() - started);
  console.log(`\n${formatTable(results, skipped)}\n`);
  const references = Object.fromEntries(tasks.flatMap((t) => (t.reference ? [[t.name, t.reference]] : [])));
  for (const [task, reference] of Object.entries(references)) console.log(`reference, ${task}: ${reference}`);
  const command = `npm run eval:judges -- ${process.argv.slice(2).join(" ")}`.trim();
  writeReport(args.out, {
    createdAt: new Date().toISOString(),
    command,
    benchDataDir: config.benchDataDir,
    seed: args.seed,
    limit: args.limit,
    wallMs,
    references,
    results,
    skipped,
  });
  console.log(`\nwall time ${(wallMs / 1000).toFixed(1)} s; wrote ${args.out}`);
  if (args.split === "test") {
    const entries = qualificationEntries(results, {
      tasks,
      judges: Object.fromEntries(judges.flatMap((j) => (j.modelId ? [[j.label, j.modelId]] : []))),
      embeddingModel: embedder.modelName,
      command,
      measuredAt: new Date().toISOString(),
    });
    writeQualification(entries, args.qualification);
    console.log(`Qualification of ${entries.length} judge(s) written to ${args.qualification}`);
  }
}

main()
  .then(async () => {
    await disposeLocalRuntimes();
    process.exit(0);
  })
  .catch(async (error: unknown) => {
    const appError = toAppError(error);
    console.error(`eval:judges failed: ${appError.code}: ${appError.message}`);
    await disposeLocalRuntimes().catch(() => undefined);
    process.exit(2);
  });
