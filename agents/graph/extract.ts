/**
 * Deterministic argument extraction, tried before the model is asked.
 *
 * Why: the embedded model has 135M parameters. Given a JSON schema it always produces valid
 * JSON, but the values are unreliable: it drops or rounds numbers, invents filters and writes
 * code that does not do what it says (measured while building this: for "write a function that
 * returns the nth Fibonacci number" it wrote a fib that returns 0 for every n and "tests" that
 * were prose). Where a rule reads the message more reliably than the model — an arithmetic
 * expression, the quarter/region/product named in a sales question, code the user pasted —
 * the rule decides, and the model fills only what the rule could not find (see
 * plan.ts). With OpenAI the model's native tool call supplies the arguments instead.
 */
import { calculate } from "@/lib/calculator/calculate";
import { phraseToExpression } from "@/lib/calculator/phrases/phrase-to-expression";
import { CATEGORIES, CHANNELS } from "@/lib/sales/sales-db";

// ---------------------------------------------------------------------------------------
// calculator

const WORD_OPERATORS: [RegExp, string][] = [
  [/\bsquare root of\s*([\d.,]+)/gi, " sqrt($1) "],
  [/\bpercent\b|\bper cent\b/gi, "%"],
  [/\bmultiplied by\b|\btimes\b|×/gi, " * "],
  [/\bdivided by\b|÷/gi, " / "],
  [/\bplus\b/gi, " + "],
  [/\bminus\b/gi, " - "],
  [/\bsquared\b/gi, " ^ 2 "],
  [/\bcubed\b/gi, " ^ 3 "],
  [/(\d)\s*x\s*(\d)/gi, "$1 * $2"],
];

/** A span of the message that reads as arithmetic: numbers, operators, parentheses, %, "of", functions. */
const EXPRESSION_SPAN =
  /(?:\b(?:sqrt|abs|round|floor|ceil|min|max)\s*)?[(\d$.-][\d\s.,%+\-*/^()$]*(?:\s*(?:\bof\b|\b(?:sqrt|abs|round|floor|ceil|min|max)\b)\s*[(\d$.][\d\s.,%+\-*/^()$]*)*/gi;

/**
 * The arithmetic expression in a message ("What is 12.5% of 3,160?" → "12.5% of 3,160"), or
 * undefined when there is none the calculator accepts or it is a lone number. "divide X by Y"
 * and "X minus 15 percent" are rewritten to operators first.
 */
function expressionByRules(message: string): string | undefined {
  let text = message.replace(/\bdivide\s+([\d.,]+)\s+by\s+([\d.,]+)/gi, "$1 / $2");
  // "6,200 minus 15 percent" means 6,200 * (1 - 0.15).
  text = text.replace(
    /([\d.,]+)\s+(minus|plus)\s+([\d.]+)\s*(?:%|percent)/gi,
    (_m, a: string, op: string, p: string) => `${a} * (1 ${op.toLowerCase() === "minus" ? "-" : "+"} ${p}%)`,
  );
  for (const [pattern, replacement] of WORD_OPERATORS) text = text.replace(pattern, replacement);
  const spans = [...text.matchAll(EXPRESSION_SPAN)]
    .map((m) =>
      m[0]
        .replace(/\$/g, "")
        .replace(/[\s.,=?]+$/, "")
        .trim(),
    )
    .filter((s) => /\d/.test(s));
  spans.sort((a, b) => b.length - a.length);
  for (const span of spans) {
    const numbers = span.match(/\d[\d,]*(?:\.\d+)?/g) ?? [];
    if (numbers.length < 2 && !/\b(?:sqrt|abs|round|floor|ceil)\b/i.test(span)) continue;
    try {
      calculate(span);
      return span;
    } catch {
      // not something the calculator accepts: try the next span, then the model
    }
  }
  return undefined;
}

/**
 * The arithmetic expression in a message: the span rules above read it where they can (their
 * expression is the user's own text, which the answer shows), else the calculator's grammar
 * (lib/calculator/phrases: words for operators, percentages off and of, what-percent, rounding,
 * compound growth). Undefined when neither finds one the calculator accepts.
 */
export function extractExpression(message: string): string | undefined {
  return expressionByRules(message) ?? phraseToExpression(message);
}

// ---------------------------------------------------------------------------------------
// sales_query

export interface SalesParams {
  metric?: "revenue" | "units" | "orders" | "avg_unit_price";
  quarter?: string;
  month?: string;
  region?: string;
  product?: string;
  category?: string;
  channel?: string;
  groupBy?: string[];
  order?: "asc" | "desc";
  limit?: number;
}

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const PRODUCT_PATTERNS: [RegExp, string][] = [
  [/\b(?:acme-)?r100\b|\broadrunner r100\b/i, "ACME-R100"],
  [/\b(?:acme-)?r200\b|\broadrunner r200\b/i, "ACME-R200"],
  [/\b(?:acme-)?s10\b|\bskyhook\b/i, "ACME-S10"],
  [/\b(?:acme-)?a1\b|\banvil\b/i, "ACME-A1"],
  [/\b(?:acme-)?t5\b|\btrackpoint\b/i, "ACME-T5"],
  [/\b(?:acme-)?c1\b|\bcoyote cloud\b/i, "ACME-C1"],
  [/\b(?:acme-)?p3\b|\bpowercell\b/i, "ACME-P3"],
];
const REGION_ALIASES: [RegExp, string][] = [
  [/\bnorth america\b|\bn\.? ?america\b|\bna\b/i, "North America"],
  [/\bemea\b|\beurope\b/i, "EMEA"],
  [/\bapac\b|\basia\b/i, "APAC"],
  [/\blatam\b|\blatin america\b|\bsouth america\b/i, "LATAM"],
];
const GROUP_WORDS: [RegExp, string][] = [
  [/regions?\b/i, "region"],
  [/products?\b/i, "product"],
  [/months?\b|monthly\b/i, "month"],
  [/quarters?\b|quarterly\b/i, "quarter"],
  [/channels?\b/i, "channel"],
  [/categor(?:y|ies)\b/i, "category"],
];

/**
 * Sales-query parameters named in the message: quarter, month, region, product, category,
 * channel, metric, and a breakdown ("which region", "by channel", "top 3 products"). Values
 * are the tool's canonical ones; anything not named is left out (the tool's defaults apply).
 */
export function extractSalesParams(message: string): SalesParams {
  const text = message.toLowerCase();
  const params: SalesParams = {};
  const quarter = /\bq([1-4])\b/.exec(text) ?? /\b(first|second|third|fourth) quarter\b/.exec(text);
  if (quarter?.[1]) {
    const n = ["first", "second", "third", "fourth"].indexOf(quarter[1]);
    params.quarter = `2025-Q${n >= 0 ? n + 1 : quarter[1]}`;
  }
  // Two quarters ("Q2 or Q3") is a comparison: break down by quarter instead of filtering.
  if ((text.match(/\bq[1-4]\b/g) ?? []).length > 1) {
    delete params.quarter;
    params.groupBy = ["quarter"];
  }
  if (!params.quarter) {
    const month = MONTHS.findIndex((m) => new RegExp(`\\b${m}\\b`).test(text) && !(m === "may" && /\bmay (i|we|you)\b/.test(text)));
    if (month >= 0) params.month = `2025-${String(month + 1).padStart(2, "0")}`;
  }
  for (const [pattern, region] of REGION_ALIASES) if (pattern.test(text)) params.region ??= region;
  for (const [pattern, product] of PRODUCT_PATTERNS) if (pattern.test(text)) params.product ??= product;
  for (const category of CATEGORIES) {
    const stem = category.toLowerCase().replace(/s$/, "").replace(/ie$/, "y");
    if (new RegExp(`\\b${stem}`).test(text) && !params.product) params.category = category;
  }
  for (const channel of CHANNELS) {
    if (new RegExp(`\\b${channel.toLowerCase()}`).test(text)) params.channel = channel;
  }
  if (/\bunits?\b|\bhow many\b(?! orders)|\bsold\b(?!.*\brevenue\b)/.test(text)) params.metric = "units";
  if (/\borders\b|\bnumber of (?:sales|transactions|records)\b/.test(text)) params.metric = "orders";
  if (/\baverage (?:unit |selling )?price\b|\bavg\b/.test(text)) params.metric = "avg_unit_price";
  if (/\brevenue\b|\bsales\b(?!.*\bunits?\b)/.test(text) && params.metric === undefined) params.metric = "revenue";

  const grouping =
    /\b(?:which|what|top|best|worst|each|per|by|rank(?: the)?|compare|breakdown|every)\s+(?:\d+\s+)?(?:of (?:the|our) )?(\w+)/g;
  for (const match of text.matchAll(grouping)) {
    const word = match[1] ?? "";
    for (const [pattern, key] of GROUP_WORDS) {
      if (pattern.test(word) && !(params.groupBy ?? []).includes(key)) params.groupBy = [...(params.groupBy ?? []), key].slice(0, 2);
    }
  }
  if (/\bmonthly\b/.test(text) && !params.groupBy) params.groupBy = ["month"];
  if (/\b(?:vs\.?|versus|or)\b/.test(text) && params.channel && !params.groupBy) {
    params.groupBy = ["channel"];
    delete params.channel;
  }
  if (params.groupBy) {
    params.order = /\b(?:lowest|least|worst|smallest|fewest|bottom)\b/.test(text) ? "asc" : "desc";
    const top = /\b(?:top|bottom|best|worst)\s+(\d{1,2})\b/.exec(text);
    if (top?.[1]) params.limit = Number(top[1]);
    else if (/\bwhich\b[^?]*\b(?:highest|most|best|top|largest|biggest|lowest|least|worst|smallest|fewest)\b/.test(text)) params.limit = 1;
  }
  return params;
}

/** True when the extraction found something to filter or group by (a metric alone is not enough). */
export function hasSalesFilters(params: SalesParams): boolean {
  return Object.keys(params).some((k) => k !== "metric");
}

// ---------------------------------------------------------------------------------------
// run_code

export interface CodeTask {
  code: string;
  tests: string[];
}

/**
 * Code the user pasted (a fenced block). Everything else is written by the model, and its
 * tests decide: a wrong program shows up as failed tests in the steps, not as a canned answer.
 */
export function extractCodeTask(message: string): CodeTask | undefined {
  const fenced = /```(?:\w+)?\n?([\s\S]*?)```/.exec(message);
  if (fenced?.[1]?.trim()) return { code: fenced[1].trim(), tests: [] };
  return undefined;
}
