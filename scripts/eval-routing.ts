/**
 * `npm run eval:routing`: measures the semantic router (agents/router) on a labeled dataset,
 * by default evals/datasets/routing.jsonl. Prints accuracy, per-route precision/recall, a
 * confusion matrix, the misrouted examples, and accuracy at confidence thresholds (how often
 * the router alone is right when its confidence is at least t: below t the agent should let
 * the LLM choose).
 *
 * Flags:
 *   --dataset <file>       JSONL dataset (examples without `expected.route` are skipped)
 *   --k <n>                nearest examples averaged per route (default: the router's)
 *   --temperature <t>      softmax temperature of the confidence (default: the router's)
 *   --sweep                also compare k = 1..5 and several temperatures
 *   --min-accuracy <x>     exit 1 when accuracy < x (for CI)
 *
 * Exit codes: 0 ok, 1 below --min-accuracy or the model/embedding failed, 2 bad arguments or
 * a bad dataset (the message names file:line).
 */
import path from "node:path";
import { DatasetError, type DatasetExample, loadDataset } from "@/lib/datasets/dataset-example";
import { SemanticRouter, type RouteDecision } from "../agents/router/semantic-router";
import { ROUTES, type RouteName } from "@/lib/agent-routes";
import { type RoutingReport, scoreRouting } from "../agents/router/routing-metrics";
import { loadConfig } from "../lib/config";
import { getEmbedder } from "../lib/embeddings/transformers-embedder";
import { toAppError } from "../lib/errors";

class UsageError extends Error {}

interface Args {
  dataset: string;
  k?: number;
  temperature?: number;
  sweep: boolean;
  minAccuracy?: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { dataset: path.join("evals", "datasets", "routing.jsonl"), sweep: false };
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith("--")) throw new UsageError(`${flag} needs a value`);
    return v;
  };
  const num = (raw: string, flag: string, ok: (n: number) => boolean): number => {
    const n = Number(raw);
    if (!Number.isFinite(n) || !ok(n)) throw new UsageError(`${flag}: invalid value "${raw}"`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    switch (flag) {
      case "--dataset":
        args.dataset = value(i++, flag);
        break;
      case "--k":
        args.k = num(value(i++, flag), flag, (n) => Number.isInteger(n) && n >= 1);
        break;
      case "--temperature":
        args.temperature = num(value(i++, flag), flag, (n) => n > 0);
        break;
      case "--min-accuracy":
        args.minAccuracy = num(value(i++, flag), flag, (n) => n >= 0 && n <= 1);
        break;
      case "--sweep":
        args.sweep = true;
        break;
      case "--":
        break;
      default:
        throw new UsageError(`unknown argument "${flag}"`);
    }
  }
  return args;
}

interface Labeled {
  example: DatasetExample;
  expected: RouteName;
}

interface Outcome extends Labeled {
  decision: RouteDecision;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const SHORT: Record<RouteName, string> = {
  knowledge_base_search: "kb",
  sales_query: "sales",
  calculator: "calc",
  run_code: "code",
  ask_followup: "followup",
};

function printReport(report: RoutingReport, outcomes: Outcome[]): void {
  const n = outcomes.length;
  console.log(`\nAccuracy: ${pct(report.accuracy)} (${Math.round(report.accuracy * n)}/${n})\n`);
  console.log("route                   precision  recall     f1  support");
  for (const r of report.perRoute) {
    console.log(
      `${r.route.padEnd(22)}  ${pct(r.precision).padStart(9)}  ${pct(r.recall).padStart(6)}  ${r.f1.toFixed(2).padStart(5)}  ${String(r.support).padStart(7)}`,
    );
  }
  console.log("\nConfusion matrix (rows: expected, columns: predicted)");
  console.log(`${"".padEnd(22)}${ROUTES.map((r) => SHORT[r].padStart(9)).join("")}`);
  for (const e of ROUTES) {
    console.log(`${e.padEnd(22)}${ROUTES.map((p) => String(report.confusion[e][p]).padStart(9)).join("")}`);
  }
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

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`eval-routing: ${error.message}`);
      return 2;
    }
    throw error;
  }

  let labeled: Labeled[];
  try {
    const dataset = loadDataset(args.dataset);
    labeled = dataset.flatMap((example) => (example.expected.route ? [{ example, expected: example.expected.route }] : []));
    if (labeled.length === 0) throw new DatasetError(args.dataset, 0, "no example has expected.route");
    const skipped = dataset.length - labeled.length;
    console.log(`${args.dataset}: ${labeled.length} examples with expected.route${skipped ? ` (${skipped} skipped)` : ""}`);
  } catch (error) {
    if (error instanceof DatasetError) {
      console.error(`eval-routing: ${error.message}`);
      return 2;
    }
    throw error;
  }

  const embedder = getEmbedder(loadConfig());
  const started = Date.now();
  const vectors = await embedder.embedDocuments(labeled.map((l) => l.example.input.message));
  const router = new SemanticRouter(embedder, { k: args.k, temperature: args.temperature });
  const outcomes: Outcome[] = [];
  for (const [i, l] of labeled.entries()) {
    const vector = vectors[i];
    if (!vector) throw new Error("missing embedding");
    outcomes.push({ ...l, decision: await router.routeVector(vector) });
  }
  console.log(`router: k=${router.k}, temperature=${router.temperature}, model ${embedder.modelName} (${Date.now() - started} ms)`);
  const report = scoreRouting(outcomes);
  printReport(report, outcomes);

  if (args.sweep) {
    console.log("\nSweep: accuracy by k, and accuracy / coverage at confidence >= 0.5 and >= 0.7 by temperature");
    for (const k of [1, 2, 3, 4, 5]) {
      const cells: string[] = [];
      let accuracy = 0;
      for (const temperature of [0.02, 0.05, 0.1]) {
        const r = new SemanticRouter(embedder, { k, temperature });
        const res: { expected: RouteName; decision: RouteDecision }[] = [];
        for (const [i, l] of labeled.entries())
          res.push({ expected: l.expected, decision: await r.routeVector(vectors[i] as Float32Array) });
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

  if (args.minAccuracy !== undefined && report.accuracy < args.minAccuracy) {
    console.error(`eval-routing: accuracy ${pct(report.accuracy)} is below --min-accuracy ${pct(args.minAccuracy)}`);
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
