/**
 * `npm run eval:agent-routing`: measures the agent's FULL routing decision (semantic router,
 * plus the chat model choosing among the top candidates when the router is unsure; see
 * agents/graph/reason.ts) on a labeled dataset, by default evals/datasets/routing.jsonl, with
 * the configured chat model (the embedded SmolLM2 by default). Prints router-only and full
 * accuracy, the full decision's confusion matrix and the cases where the model changed the
 * router's answer. With `--latency N` it also runs the whole agent (route, tools, answer) on
 * up to N examples per expected route and prints median and p95 latency per route.
 *
 * Flags:
 *   --dataset <file>      JSONL dataset (examples without expected.route are skipped)
 *   --confident-at <t>    router confidence at which the model is not asked (default 0.9)
 *   --candidates <n>      top router candidates the model chooses among (default 2)
 *   --weight <w>          what the model's choice adds to its route's router score (default DEFAULT_LLM_WEIGHT = 0; Infinity: the model decides)
 *   --sweep               also print the full accuracy for several weights (one model call per example)
 *   --latency <n>         also time the full agent on up to n examples per route
 *   --min-accuracy <x>    exit 1 when the full accuracy < x
 */
import path from "node:path";
import { z } from "zod";
import { runAgentChat } from "../agents/graph/run-agent-chat";
import { DEFAULT_LLM_WEIGHT, decideRoute, fuse } from "../agents/graph/route-choice";
import type { RoutingDecision } from "../agents/graph/types";
import { createAgentTools } from "../agents/graph/tools";
import type { AgentDeps } from "../agents/graph/types";
import { knownRoute, ROUTES, type RouteName } from "@/agents/routes/registry";
import { scoreRouting } from "../agents/router/routing-metrics";
import { SemanticRouter } from "../agents/router/semantic-router";
import { DatasetError, loadDataset, type DatasetExample } from "@/lib/datasets/dataset-example";
import { parseFlags } from "../lib/cli/parse-flags";
import { loadConfig, type AppConfig } from "../lib/config";
import { AppError, toAppError } from "../lib/errors";
import { createChatModel } from "../lib/llm/provider";
import { InMemorySessionStore, type Turn } from "../lib/sessions/session-store";
import { getKnowledgeBase } from "../lib/vectorstore/knowledge-base";
import { pct, printConfusion } from "./cli/routing-report";

const flagsSchema = z.object({
  dataset: z.string().default(path.join("evals", "datasets", "routing.jsonl")),
  "confident-at": z.coerce.number().optional(),
  candidates: z.coerce.number().optional(),
  latency: z.coerce.number().default(0),
  weight: z
    .string()
    .transform(Number)
    .refine((w) => !Number.isNaN(w), "must be a number or Infinity")
    .optional(),
  sweep: z.boolean().default(false),
  "min-accuracy": z.coerce.number().optional(),
});
type Flags = z.infer<typeof flagsSchema>;

interface Labeled {
  e: DatasetExample;
  expected: RouteName;
}

type Scored = { expected: RouteName; decision: { route: RouteName; confidence: number } }[];

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

function historyOf(turns: { role: "user" | "assistant"; content: string }[] | undefined): Turn[] {
  const out: Turn[] = [];
  for (const t of turns ?? []) {
    if (t.role === "user") out.push({ user: t.content, assistant: "" });
    else if (out.length > 0) out[out.length - 1]!.assistant = t.content;
  }
  return out;
}

function agentDeps(config: AppConfig, flags: Flags): AgentDeps {
  const kb = getKnowledgeBase(config);
  return {
    embedder: kb.embedder,
    chatModel: createChatModel(config.llm, config.models.dir),
    sessions: new InMemorySessionStore(),
    router: new SemanticRouter(kb.embedder),
    tools: createAgentTools({ retriever: kb, k: config.retrievalK }),
    provider: config.llm.provider,
    confidentAt: flags["confident-at"],
    llmCandidates: flags.candidates,
    llmWeight: flags.weight,
  };
}

/** The full decision on every example, timed, beside what the router alone would have chosen. */
async function decideAll(examples: readonly Labeled[], deps: AgentDeps) {
  const routerOnly: Scored = [];
  const full: Scored = [];
  const decideMs: number[] = [];
  const changed: string[] = [];
  const decisions: RoutingDecision[] = [];
  for (const { e, expected } of examples) {
    const history = historyOf(e.input.history);
    const started = performance.now();
    const decision = await decideRoute(e.input.message, history, deps);
    decideMs.push(performance.now() - started);
    decisions.push(decision);
    const routerRoute = decision.candidates[0]?.route ?? decision.route;
    routerOnly.push({ expected, decision: { route: routerRoute, confidence: decision.confidence } });
    full.push({ expected, decision: { route: decision.route, confidence: decision.confidence } });
    if (decision.route !== routerRoute) {
      changed.push(
        `  ${e.id}  expected ${expected}: router ${routerRoute} (${decision.confidence.toFixed(2)}) -> model ${decision.route} ${decision.route === expected ? "FIXED" : routerRoute === expected ? "BROKE" : "still wrong"}: ${JSON.stringify(e.input.message)}`,
      );
    }
  }
  const consulted = decisions.filter((d) => d.llmConsulted).length;
  return { routerOnly, full, decideMs, changed, consulted, decisions };
}

/** The full accuracy had the model's choice added w to its route's router score, for several w. */
function printSweep(decisions: readonly RoutingDecision[], examples: readonly Labeled[]): void {
  // Settings are chosen on the dev half only; the test half is for the published figure.
  const dev = [...examples.entries()].filter(([, x]) => x.e.split === "dev");
  const n = dev.length;
  console.log("\nOn the dev half: full accuracy by model weight (the model's choice + w on its route's router score)");
  for (const w of [0, 0.01, 0.02, 0.03, 0.05, 0.08, 0.1, 0.2, Infinity]) {
    let right = 0;
    for (const [i, x] of dev) {
      const d = decisions[i]!;
      const route = d.llmChoice ? fuse(d.candidates, d.llmChoice, w)[0]!.route : d.route;
      if (route === x.expected) right++;
    }
    console.log(`  w=${String(w).padEnd(8)} ${pct(right / n)} (${right}/${n})`);
  }
}

function printMisrouted(examples: readonly Labeled[], full: Scored): void {
  const wrong = examples.filter((x, i) => full[i]!.decision.route !== x.expected);
  console.log(`\nMisrouted by the full decision (${wrong.length})`);
  for (const [i, x] of examples.entries()) {
    if (full[i]!.decision.route !== x.expected)
      console.log(`  ${x.e.id}  expected ${x.expected}, got ${full[i]!.decision.route}: ${JSON.stringify(x.e.input.message)}`);
  }
}

/** Median and p95 of the whole agent (route, tools, answer) on up to `perRoute` examples of each route. */
async function printLatency(examples: readonly Labeled[], deps: AgentDeps, perRoute: number): Promise<void> {
  console.log(`\nFull agent latency (route + tools + answer), up to ${perRoute} examples per expected route`);
  console.log("route                       n   median ms     p95 ms");
  for (const route of ROUTES) {
    const subset = examples.filter((x) => x.expected === route).slice(0, perRoute);
    const times: number[] = [];
    for (const { e } of subset) {
      const started = performance.now();
      await runAgentChat({ message: e.input.message }, { ...deps, sessions: new InMemorySessionStore() });
      times.push(performance.now() - started);
    }
    console.log(
      `${route.padEnd(24)}${String(times.length).padStart(4)}${quantile(times, 0.5).toFixed(0).padStart(12)}${quantile(times, 0.95).toFixed(0).padStart(11)}`,
    );
  }
}

/** The flags and the labeled examples; undefined (after saying why) when either is bad. */
function readInputs(): { flags: Flags; examples: Labeled[] } | undefined {
  try {
    const flags = parseFlags(process.argv.slice(2), flagsSchema, {
      booleans: ["sweep"],
      usageHint: "see the header of scripts/eval-agent-routing.ts",
    });
    const examples = loadDataset(flags.dataset).flatMap((e) => {
      const expected = knownRoute(e.expected.route);
      return expected ? [{ e, expected }] : [];
    });
    return { flags, examples };
  } catch (error) {
    if (!(error instanceof DatasetError || (error instanceof AppError && error.code === "bad_request"))) throw error;
    console.error(`eval-agent-routing: ${error.message}`);
    return undefined;
  }
}

async function main(): Promise<number> {
  const inputs = readInputs();
  if (!inputs) return 2;
  const { flags, examples } = inputs;
  const config = loadConfig();
  const deps = agentDeps(config, flags);
  console.log(
    `${flags.dataset}: ${examples.length} examples; provider ${config.llm.provider}; confident at ${flags["confident-at"] ?? 0.9}, model chooses among top ${flags.candidates ?? 2}, model weight ${flags.weight ?? DEFAULT_LLM_WEIGHT}`,
  );
  if (config.llm.provider === "openai")
    console.log("(with OpenAI the agent routes by native tool calling; this measures the local policy with that model)");

  const { routerOnly, full, decideMs, changed, consulted, decisions } = await decideAll(examples, deps);
  const r = scoreRouting(routerOnly);
  const f = scoreRouting(full);
  const n = examples.length;
  const bySplit = (split: "dev" | "test") => scoreRouting(full.filter((_, i) => examples[i]!.e.split === split)).accuracy;
  console.log(`\nFull decision by half: dev ${pct(bySplit("dev"))}, test ${pct(bySplit("test"))}`);
  console.log(`\nRouter only: ${pct(r.accuracy)} (${Math.round(r.accuracy * n)}/${n})`);
  console.log(
    `Full decision (router + model): ${pct(f.accuracy)} (${Math.round(f.accuracy * n)}/${n}); model consulted on ${consulted}/${n}`,
  );
  console.log(`Decision latency: median ${quantile(decideMs, 0.5).toFixed(0)} ms, p95 ${quantile(decideMs, 0.95).toFixed(0)} ms`);
  if (flags.sweep) printSweep(decisions, examples);
  printConfusion("\nConfusion matrix of the full decision (rows: expected, columns: predicted)", f.confusion);
  console.log(`\nWhere the model changed the router's route (${changed.length})`);
  for (const line of changed) console.log(line);
  printMisrouted(examples, full);
  if (flags.latency > 0) await printLatency(examples, deps, flags.latency);

  const minAccuracy = flags["min-accuracy"];
  if (minAccuracy !== undefined && f.accuracy < minAccuracy) {
    console.error(`eval-agent-routing: accuracy ${pct(f.accuracy)} is below ${pct(minAccuracy)}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
    setTimeout(() => process.exit(code), 100).unref();
  },
  (error: unknown) => {
    const e = toAppError(error);
    console.error(`eval-agent-routing: ${e.code}: ${e.message}`);
    process.exit(1);
  },
);
