import { z } from "zod";
import type { Evaluator } from "../evaluators/types";
import type { QualificationEntry } from "./qualification";

/** What a judge must reach on its benchmark's test half before the gate uses its metric. */
export const judgeBarSchema = z.strictObject({
  /** The benchmark task it is qualified on (evals/judges/tasks.ts). */
  task: z.string(),
  min: z.strictObject({
    precision: z.number().min(0).max(1).optional(),
    recall: z.number().min(0).max(1).optional(),
    f1: z.number().min(0).max(1).optional(),
    balancedAccuracy: z.number().min(0).max(1).optional(),
  }),
});
export type JudgeBar = z.infer<typeof judgeBarSchema>;

export interface ConfiguredJudges {
  /** "provider/model" of the eval's LLM judge. */
  llmJudge: string;
  /** The LLM judge is the app's own chat model. */
  selfJudging: boolean;
  /** The embedding model the learned judges read. */
  embeddingModel: string;
}

/** The model a qualification entry must name for this judge as configured. */
export function judgeModelOf(evaluator: Evaluator, configured: ConfiguredJudges): string {
  if (evaluator.judge?.kind === "LLM") return configured.llmJudge;
  if (evaluator.judge?.kind === "learned") return configured.embeddingModel;
  return "-";
}

const fixed = (x: number) => x.toFixed(2);

function shortfall(entry: QualificationEntry, bar: JudgeBar): string[] {
  return (Object.entries(bar.min) as [keyof JudgeBar["min"], number | undefined][]).flatMap(([key, min]) =>
    min !== undefined && entry[key] < min ? [`${key} ${fixed(entry[key])} < ${min}`] : [],
  );
}

/** Why this judge's metric is not gated; undefined when it is qualified. */
function unqualifiedBecause(
  evaluator: Evaluator,
  entries: readonly QualificationEntry[],
  bar: JudgeBar | undefined,
  model: string,
): string | undefined {
  const judge = evaluator.judge!;
  if (!bar) return "no labeled benchmark measures this judge";
  const entry = entries.find((e) => e.judge === evaluator.name && e.model === model && e.task === bar.task);
  if (!entry) return `not measured with ${model} on ${bar.task} (run npm run eval:judges)`;
  if (entry.version !== judge.version)
    return `measured for version ${entry.version}, configured ${judge.version} (run npm run eval:judges)`;
  const missed = shortfall(entry, bar);
  return missed.length > 0 ? `${missed.join(", ")} on ${bar.task} ${entry.split} (n = ${entry.n})` : undefined;
}

/**
 * The judge metrics the gate must report without gating on, with the reason ("unqualified: …",
 * and "self-judging" when the LLM judge is the app's own chat model). Every evaluator that is a
 * judge needs a matching qualification that meets its bar; the rest are gated as usual.
 */
export function ungatedJudges(
  evaluators: readonly Evaluator[],
  entries: readonly QualificationEntry[],
  bars: Readonly<Record<string, JudgeBar>>,
  configured: ConfiguredJudges,
): Map<string, string> {
  const ungated = new Map<string, string>();
  for (const evaluator of evaluators.filter((e) => e.judge)) {
    const because = unqualifiedBecause(evaluator, entries, bars[evaluator.name], judgeModelOf(evaluator, configured));
    if (!because) continue;
    const self = evaluator.judge?.kind === "LLM" && configured.selfJudging ? "self-judging; " : "";
    ungated.set(evaluator.name, `unqualified: ${self}${because}`);
  }
  return ungated;
}
