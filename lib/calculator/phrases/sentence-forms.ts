import { type Cursor, percent, sum } from "./arithmetic-grammar";
import type { Token } from "./tokens";

/**
 * Whole-sentence forms of arithmetic that are not infix expressions: "what percent of A is
 * B", "percentage change from A to B", compound growth, "multiply A by B", discounts and
 * mark-ups, "N items at X each". Each form reads the tokens from the start and must use them
 * all; the first that does wins. Plain expressions are left to ./arithmetic-grammar.ts.
 */
type Form = (c: Cursor) => string | undefined;

const pct = (c: Cursor) => c.kind("pct") || c.words("percentage");
const ratio = (part: string, whole: string) => `(${part}) / (${whole}) * 100`;
const changeBy = (base: string, p: number, sign: "+" | "-") => `(${base}) * (1 ${sign} ${p} / 100)`;

const whatPercentOf: Form = (c) => {
  c.words("what");
  if (!pct(c) || !c.words("of")) return undefined;
  const whole = sum(c);
  if (whole === undefined || !c.words("is")) return undefined;
  const part = sum(c);
  return part === undefined ? undefined : ratio(part, whole);
};

const isWhatPercentOf: Form = (c) => {
  c.words("express");
  const part = sum(c);
  if (part === undefined) return undefined;
  const shape = c.oneOf("is what", "as a", "as", "out of");
  if (shape === "out of") {
    const whole = sum(c);
    return whole !== undefined && c.oneOf("as a", "as", "in") && pct(c) ? ratio(part, whole) : undefined;
  }
  if (!shape || !pct(c) || !c.words("of")) return undefined;
  const whole = sum(c);
  return whole === undefined ? undefined : ratio(part, whole);
};

const whatPercentIs: Form = (c) => {
  c.words("what");
  if (!pct(c) || !c.words("is")) return undefined;
  const part = sum(c);
  if (part === undefined || !c.words("of")) return undefined;
  const whole = sum(c);
  return whole === undefined ? undefined : ratio(part, whole);
};

/** "... from A to B" with a word of change before or after: (B − A) / A × 100. */
const percentChange: Form = (c) => {
  let sawChange = false;
  const changeWords = ["change", "increase", "decrease", "grow", "grew", "growth", "rate", "percent", "percentage", "much"];
  while (!c.done() && !c.words("from")) {
    const token = c.peek();
    if ((token?.kind === "word" && changeWords.includes(token.word)) || token?.kind === "pct") sawChange = true;
    c.reset(c.mark() + 1);
  }
  const from = sum(c);
  if (from === undefined || !c.words("to")) return undefined;
  const to = sum(c);
  if (to === undefined) return undefined;
  while (!c.done()) {
    const token = c.peek();
    if ((token?.kind === "word" && changeWords.includes(token.word)) || token?.kind === "pct") sawChange = true;
    c.reset(c.mark() + 1);
  }
  return sawChange ? `((${to}) - (${from})) / (${from}) * 100` : undefined;
};

const binaryVerbs: [string, string, (a: string, b: string) => string][] = [
  ["add", "to", (a, b) => `${b} + ${a}`],
  ["add", "and", (a, b) => `${a} + ${b}`],
  ["subtract", "from", (a, b) => `${b} - ${a}`],
  ["take", "away from", (a, b) => `${b} - ${a}`],
  ["multiply", "by", (a, b) => `${a} * ${b}`],
  ["divide", "by", (a, b) => `${a} / ${b}`],
  ["the difference between", "and", (a, b) => `${a} - ${b}`],
  ["difference between", "and", (a, b) => `${a} - ${b}`],
];

const verbForm: Form = (c) => {
  const start = c.mark();
  for (const [verb, joiner, build] of binaryVerbs) {
    c.reset(start);
    if (!c.oneOf(verb)) continue;
    const a = sum(c);
    if (a === undefined || !c.oneOf(joiner)) continue;
    const b = sum(c);
    if (b !== undefined && c.done()) return build(a, b);
  }
  return undefined;
};

/** "the sum of A, B and C", "average of …", "the product of A and B". */
const listForm: Form = (c) => {
  c.words("the");
  const kind = c.oneOf("sum of", "product of", "average of", "mean of", "total of");
  if (!kind) return undefined;
  const items: string[] = [];
  do {
    const item = sum(c);
    if (item === undefined) return undefined;
    items.push(item);
  } while (c.op("+") || c.words("and") || c.words("plus") || c.peek()?.kind === "num");
  if (items.length < 2) return undefined;
  if (kind === "product of") return items.join(" * ");
  const total = items.join(" + ");
  return kind.startsWith("average") || kind.startsWith("mean") ? `(${total}) / ${items.length}` : total;
};

/** Mark-ups and discounts written around a percent: "increase A by p%", "A after a p% discount", "take p% off A". */
const percentChangeOf: Form = (c) => {
  const start = c.mark();
  const verb = c.oneOf("increase", "raise", "decrease", "reduce", "take", "add");
  if (verb) {
    const p = verb === "take" || verb === "add" ? percent(c) : undefined;
    if (p !== undefined) {
      c.oneOf("vat", "tax", "sales tax");
      if (!c.oneOf(verb === "take" ? "off" : "to")) return undefined;
      const base = sum(c);
      return base === undefined ? undefined : changeBy(base, p, verb === "take" ? "-" : "+");
    }
    const base = sum(c);
    if (base === undefined || !c.words("by")) return undefined;
    const q = percent(c);
    return q === undefined ? undefined : changeBy(base, q, verb === "increase" || verb === "raise" ? "+" : "-");
  }
  c.reset(start);
  c.oneOf("a", "an");
  const base = sum(c);
  if (base === undefined) return undefined;
  while (c.oneOf("item", "laptop", "product", "robot", "cost", "costs", "price", "priced")) {
    // the thing and the verb around the price: "a $2,400 laptop cost with 15% off"
  }
  const up = c.oneOf("increased by", "raised by", "marked up by");
  const down = up ? undefined : c.oneOf("reduced by", "discounted by", "decreased by", "after a", "after", "with", "less");
  if (!up && !down) return undefined;
  const p = percent(c);
  if (p === undefined) return undefined;
  c.oneOf("discount", "off");
  return changeBy(base, p, up ? "+" : "-");
};

/** "3 items at $19.99 each", "total of 3 at 24.50 and 2 at 10". */
const itemsAtEach: Form = (c) => {
  c.oneOf("total of", "the total of");
  const parts: string[] = [];
  do {
    const count = c.number();
    if (count === undefined) return undefined;
    c.oneOf("items", "item", "units", "unit");
    if (!c.words("at")) return undefined;
    const price = c.number();
    if (price === undefined) return undefined;
    c.words("each");
    parts.push(`${count} * ${price}`);
  } while (c.words("and"));
  return parts.join(" + ");
};

const YEARLY = ["per year", "a year", "each year", "every year", "annually", "annual", "yearly", "per annum"];
const SHRINK = ["shrinks", "shrink", "shrinking", "declines", "decline", "declining", "falls", "drops", "loses", "decreases"];

/** A principal, a yearly rate and a number of years anywhere in the sentence: A × (1 ± r)^n. */
export function compoundGrowth(tokens: readonly Token[]): string | undefined {
  const words = tokens.flatMap((t) => (t.kind === "word" ? [t.word] : []));
  const text = ` ${words.join(" ")} `;
  if (!YEARLY.some((y) => text.includes(` ${y} `)) && !text.includes(" compounded ")) return undefined;
  let principal: number | undefined;
  let rate: number | undefined;
  let years: number | undefined;
  tokens.forEach((token, i) => {
    if (token.kind !== "num") return;
    const next = tokens[i + 1];
    if (next?.kind === "pct") rate ??= token.value;
    else if (next?.kind === "word" && /^years?$/.test(next.word)) years ??= token.value;
    else principal ??= token.value;
  });
  if (principal === undefined || rate === undefined || years === undefined || !Number.isInteger(years)) return undefined;
  const sign = SHRINK.some((w) => words.includes(w)) ? "-" : "+";
  return `${principal} * (1 ${sign} ${rate} / 100) ^ ${years}`;
}

export const SENTENCE_FORMS: readonly Form[] = [
  whatPercentOf,
  isWhatPercentOf,
  whatPercentIs,
  verbForm,
  listForm,
  percentChangeOf,
  itemsAtEach,
  percentChange,
];
