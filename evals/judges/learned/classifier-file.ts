import { createHash } from "node:crypto";
import fs from "node:fs";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { describeZodIssues } from "@/lib/validation/zod-issues";
import type { LogisticModel } from "./logistic-regression";

/**
 * A learned judge's committed weights: the classifier, its decision threshold, and how it was
 * trained (benchmark file, split, rows, seed), so `npm run train:judges` can reproduce it and
 * its qualification is tied to exactly these weights (`classifierVersion`).
 */
export const classifierFileSchema = z.strictObject({
  judge: z.string(),
  features: z.string(),
  trainedOn: z.strictObject({
    task: z.string(),
    file: z.string(),
    split: z.literal("dev"),
    n: z.number().int().positive(),
    seed: z.number().int(),
  }),
  threshold: z.number().min(0).max(1),
  model: z.strictObject({ weights: z.array(z.number()), bias: z.number(), mean: z.array(z.number()), std: z.array(z.number()) }),
});
export type ClassifierFile = z.infer<typeof classifierFileSchema>;

/** First 8 hex digits of the file's sha256: the version its qualification is tied to. */
export function classifierVersion(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 8);
}

export function readClassifier(file: string): { classifier: ClassifierFile; version: string } {
  let text: string;
  let json: unknown;
  try {
    text = fs.readFileSync(file, "utf8");
    json = JSON.parse(text);
  } catch (error) {
    throw new AppError("config_invalid", `Cannot read the classifier weights ${file} (npm run train:judges writes them)`, { cause: error });
  }
  const parsed = classifierFileSchema.safeParse(json);
  if (!parsed.success) throw new AppError("config_invalid", `${file}: ${describeZodIssues(parsed.error).join("; ")}`);
  return { classifier: parsed.data, version: classifierVersion(text) };
}

/** The weights as committed: numbers rounded to 6 significant digits, one stable layout. */
export function classifierText(classifier: Omit<ClassifierFile, "model"> & { model: LogisticModel }): string {
  const round = (x: number) => Number(x.toPrecision(6));
  const model = {
    weights: classifier.model.weights.map(round),
    bias: round(classifier.model.bias),
    mean: classifier.model.mean.map(round),
    std: classifier.model.std.map(round),
  };
  return `${JSON.stringify({ ...classifier, model })}\n`;
}
