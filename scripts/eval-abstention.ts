/**
 * `npm run eval:abstention`: the knowledge base's decision to decline (agents/answer/abstention.ts),
 * measured alone, before any model writes: the agent's own retrieval, evidence selection and
 * abstention on labeled questions, in seconds rather than the full eval's minutes. That speed is
 * what makes the signals tunable, so the rule of every labeled set holds here too: tune on
 * `--split dev`, publish `--split test`.
 *
 * Two kinds of labeled questions:
 * - evals/abstention/probes.jsonl: knowledge-base questions written for this purpose (not taken
 *   from the eval datasets), half the documents cannot answer, each with its split;
 * - the knowledge-base questions of the eval datasets (manual and production): tag `unanswerable`,
 *   or expected facts on the knowledge_base_search route for answerable ones.
 *
 * Reported per source and split: abstention recall on unanswerable questions, false abstentions
 * on answerable ones, and with `--verbose` each decision with its reason. `--sweep` (dev only)
 * adds a grid over the unmentioned-subject signal's two cut-offs (lib/quality/thresholds.ts);
 * `--without-subjects` leaves that signal out, for a before/after side by side.
 *
 * Exit codes: 0 ok, 1 recall below `--min-recall` or false abstentions above `--max-false`, 2 bad
 * arguments or files.
 */
import path from "node:path";
import { z } from "zod";
import { abstentionReason, passageMentions, type AbstainReason } from "../agents/answer/abstention";
import { selectEvidence } from "../agents/evidence";
import { askedQuestion, evidenceQuery, retrieveForTurn } from "../agents/retrieve-context";
import { parseFlags } from "../lib/cli/parse-flags";
import { DatasetError } from "../lib/datasets/dataset-example";
import { loadConfig } from "../lib/config";
import { storeVocabulary } from "../lib/vectorstore/corpus-vocabulary";
import { getKnowledgeBase } from "../lib/vectorstore/knowledge-base";
import { labeledQuestions, type LabeledQuestion } from "../evals/abstention/labeled-questions";
import { printSweep, type PreparedQuestion } from "./eval-abstention/sweep";
import { runCli } from "./run-cli";

const flagsSchema = z.object({
  split: z.enum(["dev", "test", "all"]).default("dev"),
  probes: z.string().default(path.join("evals", "abstention", "probes.jsonl")),
  datasets: z
    .string()
    .default([path.join("evals", "datasets", "manual.jsonl"), path.join("evals", "datasets", "production.jsonl")].join(",")),
  verbose: z.boolean().default(false),
  sweep: z.boolean().default(false),
  "without-subjects": z.boolean().default(false),
  "min-recall": z.coerce.number().min(0).max(1).optional(),
  "max-false": z.coerce.number().min(0).max(1).optional(),
});

interface Decision {
  question: LabeledQuestion;
  reason: AbstainReason | undefined;
}

function describe(reason: AbstainReason | undefined): string {
  if (!reason) return "answers";
  const { kind, ...detail } = reason;
  const values = Object.values(detail).map((v: unknown) =>
    Array.isArray(v) ? v.join(", ") : typeof v === "number" ? v.toFixed(2) : String(v),
  );
  return `declines: ${kind}${values.length > 0 ? ` (${values.join("; ")})` : ""}`;
}

const pct = (n: number, d: number) => (d === 0 ? "–" : `${((100 * n) / d).toFixed(1)} %`);

function summarize(decisions: readonly Decision[]): { recall: number; falseRate: number } {
  const unanswerable = decisions.filter((d) => !d.question.answerable);
  const answerable = decisions.filter((d) => d.question.answerable);
  const caught = unanswerable.filter((d) => d.reason).length;
  const falseAbstentions = answerable.filter((d) => d.reason).length;
  console.log("| source | split | unanswerable declined | answerable declined (false abstentions) |\n|---|---|---|---|");
  const groups = new Map<string, Decision[]>();
  for (const d of decisions)
    groups.set(`${d.question.source}|${d.question.split}`, [...(groups.get(`${d.question.source}|${d.question.split}`) ?? []), d]);
  for (const [key, group] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const [source, split] = key.split("|");
    const u = group.filter((d) => !d.question.answerable);
    const a = group.filter((d) => d.question.answerable);
    const uc = u.filter((d) => d.reason).length;
    const ac = a.filter((d) => d.reason).length;
    console.log(`| ${source} | ${split} | ${uc}/${u.length} (${pct(uc, u.length)}) | ${ac}/${a.length} (${pct(ac, a.length)}) |`);
  }
  console.log(
    `| all | | ${caught}/${unanswerable.length} (${pct(caught, unanswerable.length)}) | ${falseAbstentions}/${answerable.length} (${pct(falseAbstentions, answerable.length)}) |`,
  );
  return { recall: caught / Math.max(1, unanswerable.length), falseRate: falseAbstentions / Math.max(1, answerable.length) };
}

async function main(): Promise<number> {
  const flags = parseFlags(process.argv.slice(2), flagsSchema, {
    booleans: ["verbose", "sweep", "without-subjects"],
    usageHint: "see the header of scripts/eval-abstention.ts",
  });
  if (flags.sweep && flags.split !== "dev") {
    console.error("error: --sweep chooses cut-offs, and cut-offs are chosen on the dev split only (drop --split or use --split dev)");
    return 2;
  }
  const config = loadConfig();
  let questions: LabeledQuestion[];
  try {
    questions = labeledQuestions(flags.probes, flags.datasets.split(",").filter(Boolean)).filter(
      (q) => flags.split === "all" || q.split === flags.split,
    );
  } catch (error) {
    if (!(error instanceof DatasetError) && !(error instanceof Error && "code" in error && error.code === "ENOENT")) throw error;
    console.error(`error: ${error.message}`);
    return 2;
  }
  const knowledgeBase = getKnowledgeBase(config);
  const vocabulary = await storeVocabulary(await knowledgeBase.store());
  const decisions: Decision[] = [];
  const prepared: PreparedQuestion[] = [];
  for (const question of questions) {
    const passages = await retrieveForTurn(knowledgeBase, question.message, question.history, config.retrievalK);
    const evidence = await selectEvidence(knowledgeBase.embedder, evidenceQuery(question.message, question.history), passages);
    const asked = askedQuestion(question.message, question.history);
    const subjects = flags["without-subjects"] ? undefined : await passageMentions(asked, passages, vocabulary, knowledgeBase.embedder);
    const input = { question: asked, passages, evidence, vocabulary, ...(subjects ? { subjects } : {}) };
    prepared.push({ question, input });
    const reason = abstentionReason(input);
    decisions.push({ question, reason });
    if (flags.verbose) {
      const right = Boolean(reason) !== question.answerable ? "ok  " : "MISS";
      console.log(
        `${right} ${question.id} [${question.answerable ? "answerable" : "unanswerable"}] ${describe(reason)}: ${question.message}`,
      );
    }
  }
  console.log(`\nAbstention before generation, split ${flags.split}: ${questions.length} questions\n`);
  const { recall, falseRate } = summarize(decisions);
  if (flags.sweep) printSweep(prepared);
  if (flags["min-recall"] !== undefined && recall < flags["min-recall"]) return 1;
  if (flags["max-false"] !== undefined && falseRate > flags["max-false"]) return 1;
  return 0;
}

runCli(main);
