import { z } from "zod";
import { parseFlags } from "../../lib/cli/parse-flags";
import { repeatedList } from "../cli/list-flags";

/** The flags of `npm run eval` (scripts/eval.ts), their usage and parsing. */

export const USAGE = `Usage: npm run eval -- [options]
  --ci                   the fixed CI subset (examples tagged "ci")
  --dataset <name>       only this dataset (repeatable, or comma-separated): manual, routing, synthetic, production
  --filter <regex>       only examples whose id or a tag matches
  --split <dev|test>     only that split (tune on dev, publish test)
  --limit <n>            at most n examples
  --code-only            only the CODE evaluators, no LLM judge calls (fast runs while tuning)
  --concurrency <n>      examples in flight (default 1 with the local model, 4 with an API)
  --include-unreviewed   also run synthetic examples nobody has accepted yet
  --update-baseline      accept this run as the new baseline (evals/baseline.json); refused when the gate fails
  --force                with --update-baseline: accept a run that failed the gate
  --fail-on-regressions <n>  fail when more than n examples go from pass to fail (default: list them only)
  --baseline <file>      compare with this baseline instead
  --thresholds <file>    floors per metric (default evals/thresholds.json)
  --out <dir>            where reports go (default reports/eval)
  --datasets <dir>       where the JSONL datasets are (default evals/datasets)`;

const positiveInt = z.string().refine((raw) => Number.isInteger(Number(raw)) && Number(raw) >= 1 && raw.trim() !== "", {
  error: (issue) => `must be a positive integer, got "${String(issue.input)}"`,
});

const flagsSchema = z.object({
  ci: z.boolean().default(false),
  dataset: z.array(z.string()).transform(repeatedList).optional(),
  filter: z.string().optional(),
  split: z.enum(["dev", "test"]).optional(),
  limit: positiveInt.transform(Number).optional(),
  concurrency: positiveInt.transform(Number).optional(),
  "include-unreviewed": z.boolean().default(false),
  "code-only": z.boolean().default(false),
  "update-baseline": z.boolean().default(false),
  force: z.boolean().default(false),
  "fail-on-regressions": z
    .string()
    .refine((raw) => /^\d+$/.test(raw.trim()), { error: (issue) => `must be a whole number, got "${String(issue.input)}"` })
    .transform(Number)
    .optional(),
  baseline: z.string().default("evals/baseline.json"),
  thresholds: z.string().default("evals/thresholds.json"),
  out: z.string().default("reports/eval"),
  datasets: z.string().default("evals/datasets"),
  help: z.boolean().default(false),
});
export type EvalFlags = z.infer<typeof flagsSchema>;

export function parseEvalFlags(argv: readonly string[]): EvalFlags {
  return parseFlags(argv, flagsSchema, {
    repeatable: ["dataset"],
    booleans: ["ci", "code-only", "include-unreviewed", "update-baseline", "force", "help"],
    short: { h: "help" },
    usageHint: "see `npm run eval -- --help`",
  });
}
