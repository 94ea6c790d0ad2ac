/**
 * The words of an arithmetic question as tokens: numbers in the forms people write them
 * ("1,250", "$19.99", "4.5k", "2.5 million", "seventy two", "4th"), percent signs and words,
 * operator symbols and words ("times", "multiplied by", "to the power of"), parentheses, and
 * every other word lower-cased for the grammar (./phrase-grammar.ts) to read.
 */
export type Token =
  | { kind: "num"; value: number }
  | { kind: "pct" }
  | { kind: "op"; op: "+" | "-" | "*" | "/" | "^" }
  | { kind: "lp" }
  | { kind: "rp" }
  | { kind: "word"; word: string };

const SCALES: Record<string, number> = { k: 1e3, thousand: 1e3, m: 1e6, mn: 1e6, million: 1e6, b: 1e9, bn: 1e9, billion: 1e9 };
const UNITS = [
  "zero",
  "one",
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "ten",
  "eleven",
  "twelve",
  "thirteen",
  "fourteen",
  "fifteen",
  "sixteen",
  "seventeen",
  "eighteen",
  "nineteen",
];
const TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

/** Multi-word operators first (longest match), then single words and symbols. */
const OPERATOR_PHRASES: [string[], Token][] = [
  [["to", "the", "power", "of"], { kind: "op", op: "^" }],
  [["multiplied", "by"], { kind: "op", op: "*" }],
  [["divided", "by"], { kind: "op", op: "/" }],
  [["per", "cent"], { kind: "pct" }],
  [["plus"], { kind: "op", op: "+" }],
  [["minus"], { kind: "op", op: "-" }],
  [["times"], { kind: "op", op: "*" }],
  [["x"], { kind: "op", op: "*" }],
  [["over"], { kind: "op", op: "/" }],
  [["percent"], { kind: "pct" }],
  [["pct"], { kind: "pct" }],
];

const SYMBOLS: Record<string, Token> = {
  "+": { kind: "op", op: "+" },
  "-": { kind: "op", op: "-" },
  "−": { kind: "op", op: "-" },
  "*": { kind: "op", op: "*" },
  "×": { kind: "op", op: "*" },
  "/": { kind: "op", op: "/" },
  "÷": { kind: "op", op: "/" },
  "^": { kind: "op", op: "^" },
  "%": { kind: "pct" },
  "(": { kind: "lp" },
  ")": { kind: "rp" },
};

const RAW = /(?:\d[\d,]*(?:\.\d+)?|\.\d+)[a-z]*|[a-z]+(?:'[a-z]+)?|[+\-−*×/÷^%()]/gi;

function numberWord(word: string): number | undefined {
  const unit = UNITS.indexOf(word);
  if (unit >= 0) return unit;
  const tens = TENS.indexOf(word);
  return tens >= 2 ? tens * 10 : undefined;
}

/** "1,250" → 1250; a comma that does not group thousands makes it no number ("1,25"). */
function parseDigits(text: string): number | undefined {
  if (text.includes(",") && !/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(text)) return undefined;
  const value = Number(text.replace(/,/g, ""));
  return Number.isFinite(value) ? value : undefined;
}

function rawTokens(text: string): string[] {
  const normalised = text
    .toLowerCase()
    .replace(/[$€£¥]/g, "")
    .replace(/\*\*/g, "^");
  return [...normalised.matchAll(RAW)].map((m) => m[0]);
}

/** Merges number words ("seventy two" → 72), scale words ("2.5 million") and ordinals ("4th"). */
function mergeNumbers(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (const token of tokens) {
    const last = out.at(-1);
    if (token.kind === "word" && last?.kind === "num") {
      const scale = SCALES[token.word];
      if (scale) {
        last.value *= scale;
        continue;
      }
      if (/^(st|nd|rd|th)$/.test(token.word)) continue;
      const small = numberWord(token.word);
      if (small !== undefined && small < 10 && last.value >= 20 && last.value % 10 === 0 && last.value < 100) {
        last.value += small;
        continue;
      }
    }
    if (token.kind === "word") {
      const value = numberWord(token.word);
      if (value !== undefined) {
        out.push({ kind: "num", value });
        continue;
      }
    }
    out.push(token);
  }
  return out;
}

export function tokenize(text: string): Token[] {
  const raw = rawTokens(text);
  const tokens: Token[] = [];
  for (let i = 0; i < raw.length; i++) {
    const piece = raw[i]!;
    const phrase = OPERATOR_PHRASES.find(([words]) => words.every((w, j) => raw[i + j] === w));
    if (phrase) {
      tokens.push({ ...phrase[1] });
      i += phrase[0].length - 1;
      continue;
    }
    const symbol = SYMBOLS[piece];
    if (symbol) {
      tokens.push({ ...symbol });
      continue;
    }
    const number = /^([\d.,]+)([a-z]*)$/.exec(piece);
    const value = number ? parseDigits(number[1]!.replace(/[.,]$/, "")) : undefined;
    if (number && value !== undefined) {
      const suffix = number[2] ?? "";
      tokens.push({ kind: "num", value: value * (SCALES[suffix] ?? 1) });
      // "4th" is a number; "5kg" a number and a word.
      if (suffix && !SCALES[suffix] && !/^(st|nd|rd|th)$/.test(suffix)) tokens.push({ kind: "word", word: suffix });
      continue;
    }
    tokens.push({ kind: "word", word: piece.replace(/'s$/, "") });
  }
  return mergeNumbers(tokens);
}
