/**
 * `npm run eval:routing`: measures the semantic router (agents/router) on a labeled dataset,
 * by default evals/datasets/routing.jsonl: accuracy on its dev and test halves side by side,
 * then for the test half per-route precision/recall, a confusion matrix, the misrouted
 * examples, and accuracy at confidence thresholds (how often the router alone is right when its
 * confidence is at least t: below t the agent lets the LLM choose). `--sweep` compares settings
 * on the dev half only: settings are chosen there, and test figures are what gets published.
 *
 * Flags:
 *   --dataset <file>       JSONL dataset (examples without `expected.route` are skipped)
 *   --k <n>                nearest examples averaged per route (default: the router's)
 *   --temperature <t>      softmax temperature of the confidence (default: the router's)
 *   --sweep                also compare k = 1..5 and several temperatures (on the dev half)
 *   --min-accuracy <x>     exit 1 when the test half's accuracy < x (for CI)
 *
 * Exit codes: 0 ok, 1 below --min-accuracy or the model/embedding failed, 2 bad arguments or
 * a bad dataset (the message names file:line).
 */
import path from "node:path";
import { z } from "zod";
import { DatasetError, type DatasetExample, loadDataset } from "@/lib/datasets/dataset-example";
import { SemanticRouter, type RouteDecision } from "../agents/router/semantic-router";
import { knownRoute, type RouteName } from "@/agents/routes/registry";
import { type RoutingReport, scoreRouting } from "../agents/router/routing-metrics";
import { parseFlags } from "../lib/cli/parse-flags";
import { loadConfig } from "../lib/config";
import { getEmbedder } from "../lib/embeddings/transformers-embedder";
import type { Embedder } from "../lib/embeddings/types";
import { AppError, toAppError } from "../lib/errors";
import { pct, printConfusion } from "./cli/routing-report";

const flagsSchema = z.object({
  dataset: z.string().default(path.join("evals", "datasets", "routing.jsonl")),
  k: z.coerce.number().int().min(1).optional(),
  temperature: z.coerce.number().gt(0).optional(),
  "min-accuracy": z.coerce.number().min(0).max(1).optional(),
  sweep: z.boolean().default(false),
});
type Flags = z.infer<typeof flagsSchema>;

interface Labeled {
  example: DatasetExample;
  expected: RouteName;
}

interface Outcome extends Labeled {
  decision: RouteDecision;
}

function printReport(report: RoutingReport, outcomes: Outcome[]): void {
  const n = outcomes.length;
  console.log(`\nAccuracy: ${pct(report.accuracy)} (${Math.round(report.accuracy * n)}/${n})\n`);
  console.log("route                   precision  recall     f1  support");
  for (const r of report.perRoute) {
    console.log(
      `${r.route.padEnd(22)}  ${pct(r.precision).padStart(9)}  ${pct(r.recall).padStart(6)}  ${r.f1.toFixed(2).padStart(5)}  ${String(r.support).padStart(7)}`,
    );
  }
  printConfusion("\nConfusion matrix (rows: expected, columns: predicted)", report.confusion);
  const wrong = outcomes.filter((o) => o.expected !== o.decision.route);
  console.log(`\nMisrouted (${wrong.length})`);
  for (const o of wrong) {
    const [first, second] = o.decision.candidates;
    console.log(
      `  ${o.example.id}  expected ${o.expected}, got ${o.decision.route} (confidence ${o.decision.confidence.toFixed(2)}; ` +
        `${first?.route} ${first?.score.toFixed(3)} vs ${second?.route} ${second?.score.toFixed(3)}): ${JSON.stringify(o.example.input.message)}`,
    );
  }
  console.log("\nWhen confidence >= t the router decides alone; below t the LLM decides");
  console.log("     t  coverage  accuracy   kept  errors");
  for (const t of report.thresholds) {
    console.log(
      `${t.threshold.toFixed(2).padStart(6)}  ${pct(t.coverage).padStart(8)}  ${pct(t.accuracy).padStart(8)}  ${String(t.kept).padStart(5)}  ${String(t.errors).padStart(6)}`,
    );
  }
}

/** The labeled examples of the dataset; a bad file is a DatasetError naming file:line. */
function loadLabeled(dataset: string): Labeled[] {
  const examples = loadDataset(dataset);
  const labeled = examples.flatMap((example) => {
    const expected = knownRoute(example.expected.route);
    return expected ? [{ example, expected }] : [];
  });
  if (labeled.length === 0) throw new DatasetError(dataset, 0, "no example has expected.route");
  const skipped = examples.length - labeled.length;
  console.log(`${dataset}: ${labeled.length} examples with expected.route${skipped ? ` (${skipped} skipped)` : ""}`);
  return labeled;
}

/**
 * Labelled messages the router calls out of scope (small talk, off-topic): the agent would give
 * them the scoped reply instead of running their route, so each one is a miss the accuracy
 * above does not count.
 */
function printOutOfScope(dev: readonly Outcome[], test: readonly Outcome[]): void {
  const flagged = (half: readonly Outcome[]) => half.filter((o) => o.decision.outOfScope);
  console.log(
    `Out of scope (scoped reply, no tool): dev ${flagged(dev).length} of ${dev.length}, test ${flagged(test).length} of ${test.length}`,
  );
  for (const o of flagged(test)) {
    const scope = o.decision.outOfScope!;
    console.log(`  ${o.example.id}  ${scope.kind} by ${scope.margin.toFixed(3)}: ${JSON.stringify(o.example.input.message)}`);
  }
}

/** Accuracy by k, and accuracy / coverage at two confidence levels by temperature. */
async function printSweep(embedder: Embedder, labeled: readonly Labeled[], vectors: readonly Float32Array[]): Promise<void> {
  console.log("\nSweep on the dev half: accuracy by k, and accuracy / coverage at confidence >= 0.5 and >= 0.7 by temperature");
  for (const k of [1, 2, 3, 4, 5]) {
    const cells: string[] = [];
    let accuracy = 0;
    for (const temperature of [0.02, 0.05, 0.1]) {
      const r = new SemanticRouter(embedder, { k, temperature });
      const res: { expected: RouteName; decision: RouteDecision }[] = [];
      for (const [i, l] of labeled.entries()) res.push({ expected: l.expected, decision: await r.routeVector(vectors[i]!) });
      const rep = scoreRouting(res);
      accuracy = rep.accuracy;
      const at = (t: number) => rep.thresholds.find((x) => x.threshold === t);
      cells.push(
        `T=${temperature}: ${pct(at(0.5)?.accuracy ?? 0)}/${pct(at(0.5)?.coverage ?? 0)}, ${pct(at(0.7)?.accuracy ?? 0)}/${pct(at(0.7)?.coverage ?? 0)}`,
      );
    }
    console.log(`  k=${k}  accuracy ${pct(accuracy)}  ${cells.join("  ")}`);
  }
}

async function main(): Promise<number> {
  let flags: Flags;
  let labeled: Labeled[];
  try {
    flags = parseFlags(process.argv.slice(2), flagsSchema, { booleans: ["sweep"], usageHint: "see the header of scripts/eval-routing.ts" });
    labeled = loadLabeled(flags.dataset);
  } catch (error) {
    if (error instanceof DatasetError || (error instanceof AppError && error.code === "bad_request")) {
      console.error(`eval-routing: ${error.message}`);
      return 2;
    }
    throw error;
  }

  const embedder = getEmbedder(loadConfig());
  const started = Date.now();
  const vectors = await embedder.embedDocuments(labeled.map((l) => l.example.input.message));
  const router = new SemanticRouter(embedder, { k: flags.k, temperature: flags.temperature });
  const outcomes: Outcome[] = [];
  for (const [i, l] of labeled.entries()) {
    const vector = vectors[i];
    if (!vector) throw new Error("missing embedding");
    outcomes.push({ ...l, decision: await router.routeVector(vector) });
  }
  console.log(`router: k=${router.k}, temperature=${router.temperature}, model ${embedder.modelName} (${Date.now() - started} ms)`);
  const half = (split: "dev" | "test") => outcomes.filter((o) => o.example.split === split);
  const dev = scoreRouting(half("dev"));
  const report = scoreRouting(half("test"));
  console.log(
    `\nAccuracy: dev ${pct(dev.accuracy)} (n = ${half("dev").length}), test ${pct(report.accuracy)} (n = ${half("test").length})`,
  );
  printOutOfScope(half("dev"), half("test"));
  console.log("\nThe test half in detail:");
  printReport(report, half("test"));
  if (flags.sweep) {
    const onDev = labeled.flatMap((l, i) => (l.example.split === "dev" ? [{ l, v: vectors[i]! }] : []));
    await printSweep(
      embedder,
      onDev.map((x) => x.l),
      onDev.map((x) => x.v),
    );
  }

  const minAccuracy = flags["min-accuracy"];
  if (minAccuracy !== undefined && report.accuracy < minAccuracy) {
    console.error(`eval-routing: accuracy ${pct(report.accuracy)} is below --min-accuracy ${pct(minAccuracy)}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const e = toAppError(error);
    console.error(`eval-routing: ${e.code}: ${e.message}`);
    process.exitCode = 1;
  },
);
