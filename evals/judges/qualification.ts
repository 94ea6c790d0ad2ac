import fs from "node:fs";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { writeFileAtomic } from "@/lib/fs/write-file-atomic";
import { describeZodIssues } from "@/lib/validation/zod-issues";

/**
 * evals/judges/qualification.json: each judge's figures on the test half of a labeled
 * benchmark, written by `npm run eval:judges`, committed. The eval gate uses a judge's metric
 * only when its entry matches the judge as configured (metric, model, version) and meets the
 * bar in evals/thresholds.json (`judges`); see ./judge-gating.ts.
 */
export const QUALIFICATION_FILE = "evals/judges/qualification.json";

const interval = z.tuple([z.number(), z.number()]);

export const qualificationEntrySchema = z.strictObject({
  /** The metric the judge writes ("hallucination.support"). */
  judge: z.string(),
  kind: z.enum(["CODE", "learned", "LLM"]),
  /** The judge model for an LLM judge ("llama.cpp/smollm2-135m"), the embedding model for a learned one, "-" for a rule. */
  model: z.string(),
  /** The rule's version, the weights' hash or the prompt's hash. */
  version: z.string(),
  task: z.string(),
  file: z.string(),
  split: z.enum(["dev", "test"]),
  n: z.number().int().min(0),
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  accuracy: z.number(),
  balancedAccuracy: z.number(),
  intervals: z.strictObject({ precision: interval, recall: interval, accuracy: interval, f1: interval, balancedAccuracy: interval }),
  measuredAt: z.string(),
  command: z.string(),
});
export type QualificationEntry = z.infer<typeof qualificationEntrySchema>;

export const qualificationFileSchema = z.strictObject({ judges: z.array(qualificationEntrySchema) });

/** The committed qualifications; none when the file does not exist yet. */
export function readQualification(file = QUALIFICATION_FILE): QualificationEntry[] {
  if (!fs.existsSync(file)) return [];
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new AppError("config_invalid", `Cannot read ${file}: ${String(error)}`, { cause: error });
  }
  const parsed = qualificationFileSchema.safeParse(json);
  if (!parsed.success) throw new AppError("config_invalid", `${file}: ${describeZodIssues(parsed.error).join("; ")}`);
  return parsed.data.judges;
}

const sameJudge = (a: QualificationEntry, b: QualificationEntry) => a.judge === b.judge && a.model === b.model && a.task === b.task;

/** The file with these entries replacing earlier ones of the same judge, model and task (test-split entries only). */
export function writeQualification(entries: readonly QualificationEntry[], file = QUALIFICATION_FILE): void {
  const kept = readQualification(file).filter((old) => !entries.some((e) => sameJudge(old, e)));
  const judges = [...kept, ...entries.filter((e) => e.split === "test")].sort(
    (a, b) => a.judge.localeCompare(b.judge) || a.model.localeCompare(b.model) || a.task.localeCompare(b.task),
  );
  writeFileAtomic(file, `${JSON.stringify({ judges }, null, 2)}\n`);
}
