import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { Span } from "@opentelemetry/api";
import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import { SemanticConventions as SC } from "@arizeai/openinference-semantic-conventions";
import { AppError, toAppError } from "@/lib/errors";
import { ioAttributes, OpenInferenceSpanKind, withSpan } from "@/lib/telemetry/spans";
import type { Turn } from "@/lib/sessions/session-store";
import type { ScoredChunk } from "@/lib/vectorstore/types";
import { selectEvidence } from "../evidence";
import { buildGroundedMessages, formatEvidence, GROUNDED_SYSTEM_PROMPT, GROUNDED_USER_TEMPLATE, PROMPT_VERSION } from "../prompts";
import { retrievalQueries } from "../retrieve-context";
import type { RouteName } from "@/lib/agent-routes";
import type { AgentDeps, Observation, StopReason } from "./types";

export interface Responder {
  emit: (text: string) => void;
  signal?: AbortSignal;
}

/** Splits text into whitespace-led tokens that concatenate back to it: "a b" → ["a", " b"]. */
export function tokens(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

/** Streams an answer assembled in code, token by token, like a model would. */
function streamText(text: string, out: Responder): string {
  for (const t of tokens(text)) out.emit(t);
  return text;
}

/** Streams a model reply as it comes; aborts and model failures become AppErrors. */
async function streamModel(
  model: BaseChatModel,
  messages: Parameters<BaseChatModel["stream"]>[0],
  out: Responder,
  live = true,
): Promise<string> {
  let answer = "";
  try {
    const stream = await model.stream(messages, { signal: out.signal });
    for await (const chunk of stream) {
      const text = typeof chunk.content === "string" ? chunk.content : "";
      if (!text) continue;
      answer += text;
      if (live) out.emit(text);
    }
  } catch (error) {
    if (out.signal?.aborted) throw new AppError("aborted", "The request was aborted", { cause: error });
    throw toAppError(error, "llm_failed");
  }
  return answer;
}

const TOOL_LABEL: Record<RouteName, string> = {
  knowledge_base_search: "the knowledge base search",
  sales_query: "the sales database query",
  calculator: "the calculator",
  run_code: "the code sandbox",
  ask_followup: "the follow-up question",
};

/** Tells the user what failed, in words, with the tool's own message (which names the fix when there is one). */
export function failureAnswer(observation: Observation, stop?: StopReason): string {
  const what = TOOL_LABEL[observation.tool];
  const detail = observation.error ? observation.error.message : "it returned nothing usable";
  const why =
    stop === "repeated_call"
      ? " I stopped because I was about to repeat the same call."
      : stop === "step_limit"
        ? " I stopped after the maximum number of steps."
        : "";
  return `Sorry, I couldn't answer that: ${what} failed (${observation.error?.code ?? "tool_failed"}: ${detail}).${why}`;
}

export interface RespondInput {
  message: string;
  history: Turn[];
  observations: Observation[];
  stop?: StopReason;
  kbChunks?: ScoredChunk[];
  /** Answer from the knowledge base chunks (grounded prompt) rather than from the main tool's observation. */
  answerFromKb?: boolean;
}

/**
 * The final answer, by what the agent observed:
 * - knowledge base chunks: the evidence-based grounded prompt of the RAG pipeline, unchanged
 *   (same evidence, same messages, streamed live), so KB answers match the pipeline's;
 * - sales rows: the model writes one sentence from the compact rows; the sentence is checked
 *   against the rows (the leading group name and figure must appear) and replaced by a
 *   sentence built from the rows when it does not. It is buffered for that check, then streamed;
 * - calculator / run_code: assembled in code from the observation, then streamed — a 135M
 *   model garbles long numbers and test counts when it copies them;
 * - ask_followup: the clarifying question itself;
 * - a failed tool: what failed and the tool's message.
 */
export async function respond(input: RespondInput, deps: AgentDeps, out: Responder): Promise<string> {
  if (input.answerFromKb && input.kbChunks && input.kbChunks.length > 0) {
    const chunks = input.kbChunks;
    const messages = await withSpan("prompt_assembly", { kind: OpenInferenceSpanKind.CHAIN }, async (span) => {
      const evidenceQuery = retrievalQueries(input.message, input.history).at(-1) ?? input.message;
      const evidence = await selectEvidence(deps.embedder, evidenceQuery, chunks);
      const variables = { question: input.message, facts: formatEvidence(evidence) };
      span.setAttributes({
        ...ioAttributes("input", { question: input.message, chunks: chunks.map((c) => c.id) }),
        ...ioAttributes("output", variables.facts),
        [SC.PROMPT_TEMPLATE_TEMPLATE]: `${GROUNDED_SYSTEM_PROMPT}\n\n${GROUNDED_USER_TEMPLATE}`,
        [SC.PROMPT_TEMPLATE_VARIABLES]: JSON.stringify(variables),
        [SC.PROMPT_TEMPLATE_VERSION]: PROMPT_VERSION,
      });
      return buildGroundedMessages(input.message, evidence, input.history);
    });
    const raw = await streamModel(deps.chatModel, messages, out);
    return postprocess(raw, () => raw.trim());
  }
  // The observation the answer rests on: the last of the main tool (a knowledge base search
  // that ran beside a sales query only adds citations).
  const last = input.observations.filter((o) => o.tool !== "knowledge_base_search").at(-1) ?? input.observations.at(-1);
  if (!last) return streamText("Sorry, I couldn't work out how to answer that.", out);
  if (last.error) return streamText(failureAnswer(last, input.stop), out);
  switch (last.tool) {
    case "ask_followup": {
      const q = safeJson<{ question?: string }>(last.output)?.question;
      return streamText(q ?? "Could you tell me more about what you mean?", out);
    }
    case "calculator": {
      const r = safeJson<{ expression: string; result: string }>(last.output);
      return streamText(r ? `${r.expression} = ${formatNumber(r.result)}` : (last.output ?? ""), out);
    }
    case "run_code":
      return streamText(codeAnswer(last, input.stop), out);
    case "sales_query":
      return (await salesAnswer(input.message, last, deps.chatModel, out)).trim();
    case "knowledge_base_search":
      return streamText("I couldn't find anything about that in the knowledge base.", out);
  }
}

/** The `postprocess` CHAIN span: the model's raw text in, the answer the user gets out. */
function postprocess(raw: string, finish: (span: Span) => string): Promise<string> {
  return withSpan("postprocess", { kind: OpenInferenceSpanKind.CHAIN, attributes: ioAttributes("input", raw) }, async (span) => {
    const answer = finish(span);
    span.setAttributes(ioAttributes("output", answer));
    return answer;
  });
}

function safeJson<T>(text: string | undefined): T | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** "409.5000" → "409.5"; long integers get thousands separators. */
export function formatNumber(value: string | number): string {
  const text = String(value);
  if (!/^-?\d+(\.\d+)?$/.test(text)) return text;
  const [int, frac] = text.split(".");
  const grouped = (int ?? "").replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return frac ? `${grouped}.${frac}` : grouped;
}

interface RunCodeObservation {
  ok: boolean;
  result?: string;
  stdout?: string;
  passed?: number;
  failed?: number;
  tests?: { test: string; passed: boolean; error?: string }[];
  error?: { code: string; message: string };
}

function codeAnswer(observation: Observation, stop?: StopReason): string {
  const r = safeJson<RunCodeObservation>(observation.output);
  const code = typeof observation.args.code === "string" ? observation.args.code : "";
  const lines = [`\`\`\`js\n${code}\n\`\`\``];
  if (!r) return `${lines[0]}\n${observation.output ?? ""}`;
  if (r.tests && r.tests.length > 0) {
    lines.push(`Tests: ${r.passed ?? 0} passed, ${r.failed ?? 0} failed.`);
    for (const t of r.tests) lines.push(`- ${t.passed ? "✓" : "✗"} \`${t.test}\`${t.error ? ` (${t.error})` : ""}`);
  }
  if (r.result !== undefined) lines.push(`Result: ${r.result}`);
  if (r.stdout) lines.push(`Output:\n${r.stdout.trimEnd()}`);
  if (r.error) lines.push(`It failed: ${r.error.code}: ${r.error.message}`);
  if (!r.ok && stop)
    lines.push(
      stop === "repeated_call" ? "I stopped instead of running the same code again." : "I stopped after the maximum number of steps.",
    );
  return lines.join("\n");
}

type Row = Record<string, string | number>;

const METRIC_COLUMNS = ["revenue_usd", "units", "orders", "avg_unit_price_usd", "avg_unit_price"];
const METRIC_WORDS: Record<string, string> = {
  revenue_usd: "revenue",
  units: "units sold",
  orders: "sales records",
  avg_unit_price_usd: "average unit price",
};

function metricValue(key: string, value: number): string {
  return /revenue|price/.test(key) ? `$${formatNumber(value)}` : formatNumber(value);
}

/** The row's group values; a product's id is dropped when its name is there. */
function labelsOf(row: Row): string[] {
  return Object.entries(row)
    .filter(([k, v]) => typeof v === "string" && !(k === "product_id" && typeof row.product === "string"))
    .map(([, v]) => String(v));
}

/** "EMEA: revenue $2,931,497" */
function rowText(row: Row): string {
  const labels = labelsOf(row);
  const figures = Object.entries(row)
    .filter(([, v]) => typeof v === "number")
    .map(([k, v]) => `${METRIC_WORDS[k] ?? k} ${metricValue(k, v as number)}`);
  return `${labels.length > 0 ? `${labels.join(", ")}: ` : ""}${figures.join(", ")}`;
}

/** A sentence built from the rows, used when the model's does not carry the leading row's values. */
export function salesSentence(args: Record<string, unknown>, rows: Row[]): string {
  const scope = [args.quarter, args.month, args.region, args.product, args.category, args.channel]
    .filter((x) => typeof x === "string")
    .join(", ");
  const where = scope ? ` for ${scope}` : " for FY2025";
  if (rows.length === 0) return `No sales match${scope ? ` ${scope}` : " these filters"}.`;
  const first = rows[0]!;
  const labels = labelsOf(first);
  if (rows.length === 1 && labels.length > 0 && args.limit === 1) {
    const [key, value] = Object.entries(first).find(([, v]) => typeof v === "number") ?? ["", 0];
    const extreme = args.order === "asc" ? "lowest" : "highest";
    return `${labels.join(", ")} had the ${extreme} ${METRIC_WORDS[key] ?? key}${where}: ${metricValue(key, Number(value))}.`;
  }
  const shown = rows
    .slice(0, 5)
    .map((row) => rowText(row))
    .join("; ");
  return `Sales${where}: ${shown}${rows.length > 5 ? ` (and ${rows.length - 5} more)` : ""}.`;
}

async function salesAnswer(message: string, observation: Observation, model: BaseChatModel, out: Responder): Promise<string> {
  const parsed = safeJson<{ rows: Row[] }>(observation.output);
  const rows = parsed?.rows ?? [];
  const fallback = salesSentence(observation.args, rows);
  if (rows.length === 0) return streamText(fallback, out);
  const data = rows
    .slice(0, 10)
    .map((row) => `- ${rowText(row)}`)
    .join("\n");
  const messages = [
    new SystemMessage(
      "You are ACME Corp's assistant. Answer the question in one sentence using only the data. Copy names and figures exactly.",
    ),
    new HumanMessage(`Data:\n${data}\n\nQuestion: ${message}`),
  ];
  const sentence = (await streamModel(model, messages, out, false)).trim();
  return postprocess(sentence, (span) => {
    const known = `${message} ${data} ${JSON.stringify(observation.args)}`;
    const trusted = carriesLeadingRow(sentence, rows[0]!) && numbersFrom(sentence, known);
    // The model's sentence is kept only when it carries the data's names and figures.
    span.setAttribute("answer.model_sentence_kept", trusted);
    return streamText(trusted ? sentence : fallback, out);
  });
}

/** Every number in the sentence appears in the data or the question (a 135M model turns "R100" into "R10"). */
export function numbersFrom(sentence: string, known: string): boolean {
  const numbers = (text: string) => new Set(text.replace(/(\d),(?=\d{3})/g, "$1").match(/\d+(?:\.\d+)?/g) ?? []);
  const allowed = numbers(known);
  return [...numbers(sentence)].every((n) => allowed.has(n) || allowed.has(n.replace(/\.0+$/, "")));
}

/** The sentence names the leading row's group values and its main figure. */
export function carriesLeadingRow(sentence: string, row: Row): boolean {
  if (!sentence) return false;
  const plain = sentence.replace(/(\d),(?=\d{3})/g, "$1");
  if (!labelsOf(row).every((label) => plain.toLowerCase().includes(label.toLowerCase()))) return false;
  for (const [key, value] of Object.entries(row)) {
    if (
      typeof value === "number" &&
      METRIC_COLUMNS.includes(key) &&
      !plain.includes(String(Math.round(value))) &&
      !plain.includes(String(value))
    )
      return false;
  }
  return true;
}
