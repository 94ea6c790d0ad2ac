import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import type { SalesRow } from "@/lib/sales/sales-dimensions";
import { formatNumber } from "@/lib/text/format-number";
import { AppAttributes } from "@/lib/telemetry/attributes";
import { postprocess, streamModel, streamText, type Responder } from "../answer/stream-answer";
import { SALES_SENTENCE_PROMPT, SALES_SENTENCE_SYSTEM } from "../prompts/sales-sentence";
import type { Prompt } from "../prompts/prompt";
import { derivedAnswer, type SalesSpec } from "./sales-derived-answer";

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
function labelsOf(row: SalesRow): string[] {
  return Object.entries(row)
    .filter(([k, v]) => typeof v === "string" && !(k === "product_id" && typeof row.product === "string"))
    .map(([, v]) => String(v));
}

/** "EMEA: revenue $2,931,497" */
function rowText(row: SalesRow): string {
  const labels = labelsOf(row);
  const figures = Object.entries(row).flatMap(([k, v]) => (typeof v === "number" ? [`${METRIC_WORDS[k] ?? k} ${metricValue(k, v)}`] : []));
  return `${labels.length > 0 ? `${labels.join(", ")}: ` : ""}${figures.join(", ")}`;
}

/** A sentence built from the rows, used when the model's does not carry the leading row's values. */
export function salesSentence(args: Record<string, unknown>, rows: SalesRow[]): string {
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

/** Every number in the sentence appears in the data or the question (a 135M model turns "R100" into "R10"). */
export function numbersFrom(sentence: string, known: string): boolean {
  const numbers = (text: string) => new Set(text.replace(/(\d),(?=\d{3})/g, "$1").match(/\d+(?:\.\d+)?/g) ?? []);
  const allowed = numbers(known);
  return [...numbers(sentence)].every((n) => allowed.has(n) || allowed.has(n.replace(/\.0+$/, "")));
}

/** The sentence names the leading row's group values and its main figure. */
export function carriesLeadingRow(sentence: string, row: SalesRow): boolean {
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

export interface SalesAnswerInput {
  message: string;
  args: Record<string, unknown>;
  rows: SalesRow[];
  /** The query as the tool read it (absent from an older output): a derived figure is answered from it. */
  spec?: SalesSpec;
  /** The tool's note when there are no rows (no earlier year to compare with, nothing matches). */
  note?: string;
  chatModel: BaseChatModel;
  out: Responder;
  usePrompt: (prompt: Prompt) => void;
}

/**
 * A derived figure (share, growth, average per period, top N) is answered in code from the
 * computed values (./sales-derived-answer). Otherwise the model writes one sentence from the
 * compact rows; the sentence is checked against them (the leading group name and figure must
 * appear, and no number may be new) and replaced by a sentence built from the rows when it
 * fails. Buffered for that check, then streamed.
 */
export async function salesAnswer(input: SalesAnswerInput): Promise<string> {
  const { rows, out } = input;
  const derived = input.spec && derivedAnswer(input.spec, rows, { note: input.note, limitGiven: input.args.limit !== undefined });
  if (derived) return streamText(derived, out);
  const fallback = salesSentence(input.args, rows);
  if (rows.length === 0) return streamText(fallback, out);
  const data = rows
    .slice(0, 10)
    .map((row) => `- ${rowText(row)}`)
    .join("\n");
  input.usePrompt(SALES_SENTENCE_PROMPT);
  const messages = [new SystemMessage(SALES_SENTENCE_SYSTEM), new HumanMessage(`Data:\n${data}\n\nQuestion: ${input.message}`)];
  const sentence = (await streamModel(input.chatModel, messages, out, false)).trim();
  const answer = await postprocess(sentence, (span) => {
    const known = `${input.message} ${data} ${JSON.stringify(input.args)}`;
    const trusted = carriesLeadingRow(sentence, rows[0]!) && numbersFrom(sentence, known);
    // The model's sentence is kept only when it carries the data's names and figures.
    span.setAttribute(AppAttributes.ANSWER_MODEL_SENTENCE_KEPT, trusted);
    return streamText(trusted ? sentence : fallback, out);
  });
  return answer.trim();
}
