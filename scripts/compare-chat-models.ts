/**
 * Compares the embedded chat models on the job they do in this app, to pick the default
 * (`LOCAL_CHAT_MODEL`): grounded answers from retrieved context with citations, saying "I don't
 * know" when the context lacks the answer, and JSON routing decisions through structured output.
 *
 *   npx tsx scripts/compare-chat-models.ts [--models gemma-3-270m,smollm2-135m] [--max-tokens 128] [--verbose]
 *
 * Uses LOCAL_CONTEXT_SIZE, LOCAL_THREADS, LLM_TEMPERATURE, LLM_SEED from the environment.
 * The cases are in scripts/compare-chat-models.cases.json. The facts are fictional (ACME), so a
 * model can only get them right by reading the context.
 */
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { HumanMessage, SystemMessage, type AIMessageChunk, type BaseMessage } from "@langchain/core/messages";
import { z } from "zod";
import { parseFlags } from "../lib/cli/parse-flags";
import { LOCAL_CHAT_MODELS, loadConfig, type LocalChatModelName } from "../lib/config";
import { AppError, toAppError } from "../lib/errors";
import { LocalChatModel } from "../lib/llm/local-chat-model";
import { disposeLocalRuntimes } from "../lib/llm/local-runtime";
import { chatModelPath } from "../lib/models/paths";
import { describeZodIssues } from "../lib/validation/zod-issues";
import { splitList } from "./cli/list-flags";

const ROUTES = ["knowledge_base", "sales_db", "calculator", "clarify"] as const;
const RouteSchema = z.object({
  route: z.enum(ROUTES),
  confidence: z.number().min(0).max(1),
});
type Route = z.infer<typeof RouteSchema>;

/** The case table (scripts/compare-chat-models.cases.json): passages by name, cases citing them by name. */
const casesFileSchema = z.object({
  passages: z.record(z.string(), z.string().min(1)),
  cases: z.array(
    z.discriminatedUnion("kind", [
      z.object({
        kind: z.enum(["grounded", "refusal"]),
        id: z.string().min(1),
        passages: z.array(z.string()).min(1),
        question: z.string().min(1),
        /** Every group must be matched by one of its alternatives (grounded cases). */
        facts: z.array(z.array(z.string().min(1)).min(1)),
      }),
      z.object({ kind: z.literal("routing"), id: z.string().min(1), question: z.string().min(1), route: z.enum(ROUTES) }),
    ]),
  ),
});
type CaseEntry = z.infer<typeof casesFileSchema>["cases"][number];
type GroundedCase = Extract<CaseEntry, { kind: "grounded" | "refusal" }>;
type RoutingCase = Extract<CaseEntry, { kind: "routing" }>;
type Case = GroundedCase | RoutingCase;

/** The cases with each passage name replaced by its text. */
function loadCases(): Case[] {
  const file = fileURLToPath(new URL("./compare-chat-models.cases.json", import.meta.url));
  const parsed = casesFileSchema.safeParse(JSON.parse(fs.readFileSync(file, "utf8")));
  if (!parsed.success) throw new AppError("config_invalid", `${file}: ${describeZodIssues(parsed.error).join("; ")}`);
  const { passages, cases } = parsed.data;
  return cases.map((c) => {
    if (c.kind === "routing") return c;
    const texts = c.passages.map((name) => {
      const text = passages[name];
      if (text === undefined) throw new AppError("config_invalid", `${file}: case ${c.id} cites an unknown passage "${name}"`);
      return text;
    });
    return { ...c, passages: texts };
  });
}

const SYSTEM_PROMPT =
  "You are ACME's assistant. Answer the question using only the context. Cite the passage you used like [1]. " +
  "If the context does not contain the answer, reply exactly: I don't know.";

const ROUTER_PROMPT =
  "Choose the tool that can answer the user's question. Tools: " +
  "knowledge_base = ACME documents, policies and product facts; sales_db = sales figures and revenue by region, product or period; " +
  "calculator = arithmetic on numbers given in the question; clarify = the question is too vague to answer. " +
  "Reply with JSON: the route and your confidence between 0 and 1.";

const REFUSAL =
  /don'?t know|do not know|not (?:mentioned|provided|in the context|available|specified|stated|given)|no information|cannot (?:find|answer|determine)|can'?t (?:find|answer|determine)|doesn'?t (?:say|mention|specify|contain)|does not (?:say|mention|specify|contain|provide)/i;

function normalise(text: string): string {
  return text.toLowerCase().replace(/\s+/g, " ");
}

function hasFacts(answer: string, facts: string[][]): boolean {
  const a = normalise(answer);
  return facts.every((group) => group.some((alt) => a.includes(normalise(alt))));
}

function groundedPrompt(c: GroundedCase): string {
  const context = c.passages.map((p, i) => `[${i + 1}] ${p}`).join("\n");
  return `Context:\n${context}\n\nQuestion: ${c.question}`;
}

interface CaseResult {
  id: string;
  kind: string;
  ok: boolean;
  cited?: boolean;
  validJson?: boolean;
  ttftMs?: number;
  tokensPerSec?: number;
  outputTokens?: number;
  answer: string;
}

interface ModelSummary {
  model: LocalChatModelName;
  loadMs: number;
  results: CaseResult[];
}

const flagsSchema = z.object({
  models: z
    .string()
    .transform(splitList)
    .pipe(z.array(z.enum(LOCAL_CHAT_MODELS)).min(1))
    .default([...LOCAL_CHAT_MODELS]),
  "max-tokens": z.coerce.number().int().positive().default(128),
  verbose: z.boolean().default(false),
});

async function runRoutingCase(router: { invoke(messages: BaseMessage[]): Promise<Route> }, c: RoutingCase): Promise<CaseResult> {
  try {
    const decision = await router.invoke([new SystemMessage(ROUTER_PROMPT), new HumanMessage(c.question)]);
    return { id: c.id, kind: c.kind, ok: decision.route === c.route, validJson: true, answer: JSON.stringify(decision) };
  } catch (error) {
    return { id: c.id, kind: c.kind, ok: false, validJson: false, answer: `ERROR ${toAppError(error).message}` };
  }
}

/** A streamed answer from the context, timed to the first token, checked for the facts or a refusal. */
async function runGroundedCase(model: LocalChatModel, c: GroundedCase): Promise<CaseResult> {
  const started = performance.now();
  let first = 0;
  let text = "";
  let merged: AIMessageChunk | undefined;
  for await (const chunk of await model.stream([new SystemMessage(SYSTEM_PROMPT), new HumanMessage(groundedPrompt(c))])) {
    if (chunk.content !== "" && first === 0) first = performance.now();
    text += typeof chunk.content === "string" ? chunk.content : "";
    merged = merged ? merged.concat(chunk) : chunk;
  }
  const ended = performance.now();
  const outputTokens = merged?.usage_metadata?.output_tokens ?? 0;
  // A base model tends to echo the prompt, which itself contains "I don't know": an echo is no answer.
  const echoed = text.includes(SYSTEM_PROMPT.slice(0, 48));
  const refused = REFUSAL.test(text) && !echoed;
  const ok = c.kind === "refusal" ? refused : hasFacts(text, c.facts) && !refused && !echoed;
  return {
    id: c.id,
    kind: c.kind,
    ok,
    cited: /\[\d\]/.test(text),
    ttftMs: first ? first - started : undefined,
    tokensPerSec: first && outputTokens > 1 ? (outputTokens - 1) / ((ended - first) / 1000) : undefined,
    outputTokens,
    answer: text,
  };
}

async function runModel(
  name: LocalChatModelName,
  cases: readonly Case[],
  options: { maxTokens: number; verbose: boolean },
): Promise<ModelSummary> {
  const config = loadConfig();
  const model = new LocalChatModel({
    modelPath: chatModelPath(config.models.dir, name),
    modelName: name,
    contextSize: config.llm.local.contextSize,
    threads: config.llm.local.threads,
    temperature: config.llm.temperature,
    seed: config.llm.seed,
    maxTokens: options.maxTokens,
  });
  const loadStarted = performance.now();
  await model.load();
  const loadMs = performance.now() - loadStarted;
  const router = model.withStructuredOutput(RouteSchema, { name: "route" });

  const results: CaseResult[] = [];
  for (const c of cases) {
    const result = c.kind === "routing" ? await runRoutingCase(router, c) : await runGroundedCase(model, c);
    results.push(result);
    if (options.verbose) {
      const answer = result.answer.replace(/\s+/g, " ").slice(0, 140);
      console.log(`  ${name} ${result.ok ? "PASS" : "FAIL"} ${c.id}: ${answer}`);
    }
  }
  await disposeLocalRuntimes();
  return { model: name, loadMs, results };
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);

function summarise(s: ModelSummary) {
  const of = (kind: string) => s.results.filter((r) => r.kind === kind);
  const score = (rs: CaseResult[]) => `${rs.filter((r) => r.ok).length}/${rs.length}`;
  const generated = s.results.filter((r) => r.ttftMs !== undefined);
  return {
    model: s.model,
    accuracy: `${score(s.results)} (${Math.round((100 * s.results.filter((r) => r.ok).length) / s.results.length)}%)`,
    grounded: score(of("grounded")),
    refusal: score(of("refusal")),
    routing: score(of("routing")),
    json_valid: `${of("routing").filter((r) => r.validJson).length}/${of("routing").length}`,
    cites: `${of("grounded").filter((r) => r.cited).length}/${of("grounded").length}`,
    "ttft_ms (mean)": Math.round(mean(generated.map((r) => r.ttftMs ?? 0))),
    "tok/s (mean)": Number(mean(generated.filter((r) => r.tokensPerSec).map((r) => r.tokensPerSec ?? 0)).toFixed(1)),
    "out_tokens (mean)": Math.round(mean(generated.map((r) => r.outputTokens ?? 0))),
    load_ms: Math.round(s.loadMs),
  };
}

async function main() {
  const {
    models,
    "max-tokens": maxTokens,
    verbose,
  } = parseFlags(process.argv.slice(2), flagsSchema, {
    booleans: ["verbose"],
    usageHint: "see the header of scripts/compare-chat-models.ts",
  });
  const config = loadConfig();
  const cases = loadCases();
  console.log(
    `Comparing ${models.join(", ")} on ${cases.length} cases (max ${maxTokens} tokens, temperature ${config.llm.temperature}, ` +
      `threads ${config.llm.local.threads || "auto"}, context ${config.llm.local.contextSize})`,
  );
  const summaries: ModelSummary[] = [];
  for (const name of models) {
    const started = performance.now();
    summaries.push(await runModel(name, cases, { maxTokens, verbose }));
    console.log(`${name}: done in ${((performance.now() - started) / 1000).toFixed(1)}s`);
  }
  console.table(summaries.map(summarise));
  const perCase = cases.map((c) => {
    const row: Record<string, string> = { case: c.id };
    for (const s of summaries) row[s.model] = s.results.find((r) => r.id === c.id)?.ok ? "pass" : "FAIL";
    return row;
  });
  console.table(perCase);
  const best = [...summaries].sort((a, b) => b.results.filter((r) => r.ok).length - a.results.filter((r) => r.ok).length)[0];
  if (best) console.log(`Most accurate: ${best.model}`);
}

main().catch((error: unknown) => {
  const appError = toAppError(error);
  console.error(`${appError.code}: ${appError.message}`);
  process.exit(1);
});
