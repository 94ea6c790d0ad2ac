import type { QualificationEntry } from "./qualification";
import type { DetectorResult } from "./run-judges";
import type { JudgeTask } from "./tasks";

export interface EntryContext {
  tasks: readonly Pick<JudgeTask, "name" | "file">[];
  /** Judge label in the run ("local (smollm2-135m)") → "provider/model" as eval runs name it. */
  judges: Readonly<Record<string, string>>;
  embeddingModel: string;
  command: string;
  measuredAt: string;
}

/** The qualification entries of a test-split run: one per judge measured, with its figures and what they are tied to. */
export function qualificationEntries(results: readonly DetectorResult[], context: EntryContext): QualificationEntry[] {
  return results.flatMap((r) => {
    if (!r.judgeKind || !r.version) return [];
    const model = r.judgeKind === "LLM" ? context.judges[r.judge] : r.judgeKind === "learned" ? context.embeddingModel : "-";
    const file = context.tasks.find((t) => t.name === r.task)?.file;
    if (!model || !file) return [];
    const { n, precision, recall, f1, accuracy, balancedAccuracy, intervals } = r.figures;
    return [
      {
        judge: r.evaluator,
        kind: r.judgeKind,
        model,
        version: r.version,
        task: r.task,
        file,
        split: "test" as const,
        n,
        precision,
        recall,
        f1,
        accuracy,
        balancedAccuracy,
        intervals,
        measuredAt: context.measuredAt,
        command: context.command,
      },
    ];
  });
}
