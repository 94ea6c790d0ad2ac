/**
 * Compares the embedded chat models on the job they do in this app, to pick the default
 * (`LOCAL_CHAT_MODEL`): grounded answers from retrieved context with citations, saying "I don't
 * know" when the context lacks the answer, and JSON routing decisions through structured output.
 *
 *   npx tsx scripts/compare-chat-models.ts [--models gemma-3-270m,smollm2-135m] [--max-tokens 128] [--verbose]
 *
 * Uses LOCAL_CONTEXT_SIZE, LOCAL_THREADS, LLM_TEMPERATURE, LLM_SEED from the environment.
 * The facts are fictional (ACME), so a model can only get them right by reading the context.
 */
import { HumanMessage, SystemMessage, type AIMessageChunk } from "@langchain/core/messages";
import { z } from "zod";
import { LOCAL_CHAT_MODELS, loadConfig, type LocalChatModelName } from "../lib/config";
import { toAppError } from "../lib/errors";
import { LocalChatModel } from "../lib/llm/local-chat-model";
import { disposeLocalRuntimes } from "../lib/llm/local-runtime";
import { chatModelPath } from "../lib/models/paths";

interface GroundedCase {
  kind: "grounded" | "refusal";
  id: string;
  passages: string[];
  question: string;
  /** Every group must be matched by one of its alternatives (grounded cases). */
  facts: string[][];
}

interface RoutingCase {
  kind: "routing";
  id: string;
  question: string;
  route: Route["route"];
}

const ROUTES = ["knowledge_base", "sales_db", "calculator", "clarify"] as const;
const RouteSchema = z.object({
  route: z.enum(ROUTES),
  confidence: z.number().min(0).max(1),
});
type Route = z.infer<typeof RouteSchema>;

const P = {
  founding: "ACME Corporation was founded in 1948 by Margaret Hollis in Tucson, Arizona, as a maker of anvils.",
  returns: "Customers may return any ACME product within 45 days of delivery for a full refund. Opened rocket kits cannot be returned.",
  campus: "ACME moved its headquarters to Phoenix in 2011. The Phoenix campus has 1,200 employees.",
  anvil: "The ACME Model X anvil weighs 68 kilograms and is forged from chromium steel.",
  support: "ACME customer support is open Monday to Friday, 8am to 6pm Mountain Time. The support phone number is 555-0142.",
  warranty: "All ACME rocket skates carry a 3-year limited warranty covering manufacturing defects.",
  ceo: "Dana Whitfield became ACME's chief executive officer in March 2019, succeeding Tom Reyes.",
  revenue: "In fiscal year 2023, ACME reported revenue of $4.2 billion, up 8% from the previous year.",
  shipping: "Standard shipping is free on ACME orders over $75. Express shipping costs $19 and arrives in 2 business days.",
  passwords: "ACME employees must change their passwords every 90 days and sign in with a hardware security key.",
  loyalty: "Members of the ACME Roadrunner Club earn 3 points per dollar spent. 500 points can be redeemed for a $10 voucher.",
  factory: "ACME's largest factory is in Ogden, Utah, and produces 40,000 anvils per month.",
};

const CASES: Array<GroundedCase | RoutingCase> = [
  { kind: "grounded", id: "founder", passages: [P.founding, P.campus], question: "Who founded ACME Corporation?", facts: [["Hollis"]] },
  {
    kind: "grounded",
    id: "return-window",
    passages: [P.shipping, P.returns],
    question: "How many days do customers have to return a product?",
    facts: [["45"]],
  },
  {
    kind: "grounded",
    id: "campus-size",
    passages: [P.campus, P.factory],
    question: "How many employees work at the Phoenix campus?",
    facts: [["1,200", "1200"]],
  },
  {
    kind: "grounded",
    id: "anvil-weight",
    passages: [P.anvil, P.warranty],
    question: "How much does the Model X anvil weigh?",
    facts: [["68"]],
  },
  {
    kind: "grounded",
    id: "support-phone",
    passages: [P.support, P.returns],
    question: "What is the support phone number?",
    facts: [["555-0142"]],
  },
  {
    kind: "grounded",
    id: "skate-warranty",
    passages: [P.anvil, P.warranty],
    question: "How long is the warranty on rocket skates?",
    facts: [["3-year", "3 year", "three year", "3 years"]],
  },
  {
    kind: "grounded",
    id: "ceo",
    passages: [P.ceo, P.founding],
    question: "Who is ACME's chief executive officer?",
    facts: [["Whitfield"]],
  },
  {
    kind: "grounded",
    id: "revenue",
    passages: [P.revenue, P.campus],
    question: "What was ACME's revenue in fiscal year 2023?",
    facts: [["4.2 billion", "4.2b", "4,200 million"]],
  },
  {
    kind: "grounded",
    id: "express-cost",
    passages: [P.returns, P.shipping],
    question: "How much does express shipping cost?",
    facts: [["19"]],
  },
  {
    kind: "grounded",
    id: "password-rotation",
    passages: [P.passwords, P.support],
    question: "How often must ACME employees change their passwords?",
    facts: [["90"]],
  },
  {
    kind: "grounded",
    id: "voucher-points",
    passages: [P.loyalty, P.shipping],
    question: "How many points are needed for a $10 voucher?",
    facts: [["500"]],
  },
  {
    kind: "grounded",
    id: "largest-factory",
    passages: [P.factory, P.anvil],
    question: "Where is ACME's largest factory?",
    facts: [["Ogden"]],
  },
  { kind: "refusal", id: "no-ticker", passages: [P.factory, P.shipping], question: "What is ACME's stock ticker symbol?", facts: [] },
  {
    kind: "refusal",
    id: "no-vacation",
    passages: [P.ceo, P.warranty],
    question: "How many vacation days do ACME employees get per year?",
    facts: [],
  },
  { kind: "routing", id: "route-sales", question: "What were total anvil sales in the West region last quarter?", route: "sales_db" },
  { kind: "routing", id: "route-calc", question: "What is 15% of 2,400?", route: "calculator" },
];

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

function parseArgs(argv: string[]) {
  const get = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const models = (get("--models")?.split(",") ?? [...LOCAL_CHAT_MODELS]).map((m) => {
    if (!(LOCAL_CHAT_MODELS as readonly string[]).includes(m))
      throw new Error(`Unknown model ${m}; known: ${LOCAL_CHAT_MODELS.join(", ")}`);
    return m as LocalChatModelName;
  });
  return { models, maxTokens: Number(get("--max-tokens") ?? 128), verbose: argv.includes("--verbose") };
}

async function runModel(name: LocalChatModelName, maxTokens: number, verbose: boolean): Promise<ModelSummary> {
  const config = loadConfig();
  const model = new LocalChatModel({
    modelPath: chatModelPath(config.models.dir, name),
    modelName: name,
    contextSize: config.llm.local.contextSize,
    threads: config.llm.local.threads,
    temperature: config.llm.temperature,
    seed: config.llm.seed,
    maxTokens,
  });
  const loadStarted = performance.now();
  await model.load();
  const loadMs = performance.now() - loadStarted;
  const router = model.withStructuredOutput(RouteSchema, { name: "route" });

  const results: CaseResult[] = [];
  for (const c of CASES) {
    let result: CaseResult;
    if (c.kind === "routing") {
      try {
        const decision = await router.invoke([new SystemMessage(ROUTER_PROMPT), new HumanMessage(c.question)]);
        result = { id: c.id, kind: c.kind, ok: decision.route === c.route, validJson: true, answer: JSON.stringify(decision) };
      } catch (error) {
        result = { id: c.id, kind: c.kind, ok: false, validJson: false, answer: `ERROR ${toAppError(error).message}` };
      }
    } else {
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
      result = {
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
    results.push(result);
    if (verbose) {
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
  const { models, maxTokens, verbose } = parseArgs(process.argv.slice(2));
  const config = loadConfig();
  console.log(
    `Comparing ${models.join(", ")} on ${CASES.length} cases (max ${maxTokens} tokens, temperature ${config.llm.temperature}, ` +
      `threads ${config.llm.local.threads || "auto"}, context ${config.llm.local.contextSize})`,
  );
  const summaries: ModelSummary[] = [];
  for (const name of models) {
    const started = performance.now();
    summaries.push(await runModel(name, maxTokens, verbose));
    console.log(`${name}: done in ${((performance.now() - started) / 1000).toFixed(1)}s`);
  }
  console.table(summaries.map(summarise));
  const perCase = CASES.map((c) => {
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
