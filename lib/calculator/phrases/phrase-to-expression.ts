import { calculate } from "../calculate";
import { Cursor, sum } from "./arithmetic-grammar";
import { compoundGrowth, SENTENCE_FORMS } from "./sentence-forms";
import { tokenize, type Token } from "./tokens";

/**
 * The calculator expression in a message written the way people write arithmetic ("what's
 * 15% of 260", "take 30% off 90 dollars", "1,000 growing at 5% per year for 3 years, rounded to
 * 2 decimals"), or undefined when there is none the calculator accepts. A small grammar, not a
 * pile of rewrites: ./tokens.ts, ./arithmetic-grammar.ts, ./sentence-forms.ts.
 */
export function phraseToExpression(message: string): string | undefined {
  const { tokens, decimals } = rounding(tokenize(message));
  const core = strip(tokens, LEADING_FILLER);
  // A lone number is an expression only when there is a rounding to do to it.
  const expression = sentenceForm(core) ?? compoundGrowth(core) ?? longestExpression(strip(core, NOISE), decimals !== undefined);
  if (expression === undefined) return undefined;
  const rounded = decimals === undefined ? expression : `round(${expression}, ${decimals})`;
  try {
    calculate(rounded);
    return rounded;
  } catch {
    return undefined;
  }
}

/** Words that open a question and carry no arithmetic. */
const LEADING_FILLER = new Set([
  "how",
  "much",
  "calculate",
  "compute",
  "find",
  "tell",
  "me",
  "please",
  "can",
  "you",
  "could",
  "give",
  "do",
  "get",
  "if",
]);
/** Words an infix expression can do without once the sentence forms have had their turn. */
const NOISE = new Set([
  ...LEADING_FILLER,
  ...["what", "is", "the", "a", "an", "equal", "equals", "result", "answer", "value", "all", "then"],
  ...["dollars", "dollar", "euros", "euro", "pounds", "usd", "eur", "gbp", "per", "month", "each", "items", "it", "that", "be", "will"],
]);

function strip(tokens: readonly Token[], words: ReadonlySet<string>): Token[] {
  return tokens.filter((t) => t.kind !== "word" || !words.has(t.word));
}

const DECIMAL_WORDS = ["decimal places", "decimal place", "decimals", "decimal", "places", "place", "dp"];

/**
 * A rounding instruction anywhere in the message ("round E to 2 decimals", "E rounded to one
 * decimal place", "E to 3 decimal places", "E rounded" for a whole number), taken out of the
 * tokens with the number of decimals it asks for.
 */
function rounding(tokens: readonly Token[]): { tokens: Token[]; decimals?: number } {
  const isWord = (token: Token | undefined, word: string) => token?.kind === "word" && token.word === word;
  if (isWord(tokens[0], "round")) {
    const rest = tokens.slice(1);
    for (let j = 1; j < rest.length; j++) {
      const c = new Cursor(rest.slice(j));
      const decimals = roundingTarget(c);
      if (decimals !== undefined && c.done()) return { tokens: rest.slice(0, j), decimals };
    }
    return { tokens: rest, decimals: 0 };
  }
  for (let i = 1; i < tokens.length; i++) {
    const c = new Cursor(tokens.slice(i));
    const rounded = c.words("rounded");
    if (!rounded && !isWord(tokens[i], "to")) continue;
    const decimals = roundingTarget(c) ?? (rounded ? 0 : undefined);
    if (decimals !== undefined) return { tokens: [...tokens.slice(0, i), ...tokens.slice(i + c.mark())], decimals };
  }
  return { tokens: [...tokens] };
}

/** "to 2 decimals" → 2, "to the nearest whole number" → 0; undefined when the words are not a rounding target. */
function roundingTarget(c: Cursor): number | undefined {
  const mark = c.mark();
  c.words("to");
  if (c.oneOf("the nearest whole number", "the nearest integer", "a whole number", "the nearest unit")) return 0;
  const n = c.number();
  if (n !== undefined && Number.isInteger(n) && n >= 0 && n <= 20 && c.oneOf(...DECIMAL_WORDS)) return n;
  c.reset(mark);
  return undefined;
}

/** "what is the", "what's", "what does": how questions open, before the form proper. */
const OPENING = ["what is the", "what is", "what does", "what do", "what", "is", "the"];

function sentenceForm(tokens: readonly Token[]): string | undefined {
  for (const form of SENTENCE_FORMS) {
    const c = new Cursor(tokens);
    const opened = c.mark();
    if (c.oneOf(...OPENING) && !formMatches(form, new Cursor(tokens.slice(c.mark())))) c.reset(opened);
    const expression = form(c);
    if (expression !== undefined && c.done()) return expression;
  }
  return undefined;
}

/** The longest run of tokens that parses as an expression with an operator or a function in it. */
function longestExpression(tokens: readonly Token[], bareNumberWillDo: boolean): string | undefined {
  let best: { length: number; expression: string } | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const c = new Cursor(tokens.slice(i));
    const expression = sum(c);
    if (expression === undefined || (!bareNumberWillDo && !/[-+*/^(]/.test(expression.replace(/^-/, "")))) continue;
    if (!best || c.mark() > best.length) best = { length: c.mark(), expression };
  }
  return best?.expression;
}

function formMatches(form: (c: Cursor) => string | undefined, c: Cursor): boolean {
  return form(c) !== undefined && c.done();
}
