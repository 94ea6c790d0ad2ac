import type { Token } from "./tokens";

/**
 * Arithmetic as people write it, parsed by recursive descent into a calculator expression
 * (mathjs syntax, checked again by ./../calculate.ts before anything is evaluated):
 *
 *   sum     := product (("+" | "-") (percent | product))*      "500 plus 8%" is 500 * (1 + 8/100)
 *   product := power (("*" | "/") power)*
 *   power   := unary ("^" unary | "squared" | "cubed")*
 *   unary   := "-" unary | primary
 *   primary := percent "of" primary | percent "off" primary | percent | number | "(" sum ")"
 *            | ("sqrt" | "square root") ["of"] primary | "cube root of" primary
 *            | "half of" primary | "a third of" primary | "double" primary | "twice" primary
 */
export class Cursor {
  private at = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  peek(offset = 0): Token | undefined {
    return this.tokens[this.at + offset];
  }

  done(): boolean {
    return this.at >= this.tokens.length;
  }

  mark(): number {
    return this.at;
  }

  reset(mark: number): void {
    this.at = mark;
  }

  /** Consumes the words, in order, when they are next; else consumes nothing. */
  words(...words: string[]): boolean {
    const match = words.every((w, i) => {
      const token = this.peek(i);
      return token?.kind === "word" && token.word === w;
    });
    if (match) this.at += words.length;
    return match;
  }

  /** The first of the alternatives (each a phrase) that is next, consumed. */
  oneOf(...phrases: string[]): string | undefined {
    return phrases.find((phrase) => this.words(...phrase.split(" ")));
  }

  op(...ops: string[]): string | undefined {
    const token = this.peek();
    if (token?.kind !== "op" || !ops.includes(token.op)) return undefined;
    this.at++;
    return token.op;
  }

  kind(kind: Token["kind"]): boolean {
    if (this.peek()?.kind !== kind) return false;
    this.at++;
    return true;
  }

  number(): number | undefined {
    const token = this.peek();
    if (token?.kind !== "num") return undefined;
    this.at++;
    return token.value;
  }
}

const num = (value: number) => String(value);

/** `n %`: the percent as a number tag, or undefined (nothing consumed). */
export function percent(c: Cursor): number | undefined {
  const mark = c.mark();
  const value = c.number();
  if (value !== undefined && c.kind("pct")) return value;
  c.reset(mark);
  return undefined;
}

function primary(c: Cursor): string | undefined {
  const mark = c.mark();
  const p = percent(c);
  if (p !== undefined) {
    if (c.words("of")) {
      const base = primary(c);
      if (base !== undefined) return `(${num(p)} / 100) * ${base}`;
    } else if (c.words("off")) {
      const base = primary(c);
      if (base !== undefined) return `${base} * (1 - ${num(p)} / 100)`;
    } else return `(${num(p)} / 100)`;
    c.reset(mark);
    return undefined;
  }
  const value = c.number();
  if (value !== undefined) return num(value);
  if (c.kind("lp")) {
    const inner = sum(c);
    if (inner !== undefined && c.kind("rp")) return `(${inner})`;
    c.reset(mark);
    return undefined;
  }
  return prefixed(c, mark);
}

/** Functions and fractions written in words before their argument. */
function prefixed(c: Cursor, mark: number): string | undefined {
  const forms: [string[], (x: string) => string][] = [
    [["square root of", "square root", "sqrt of", "sqrt"], (x) => `sqrt(${x})`],
    [["cube root of", "cube root"], (x) => `cbrt(${x})`],
    [["half of", "half"], (x) => `${x} / 2`],
    [["a third of", "one third of"], (x) => `${x} / 3`],
    [["a quarter of", "one quarter of"], (x) => `${x} / 4`],
    [["double", "twice"], (x) => `2 * ${x}`],
  ];
  for (const [phrases, build] of forms) {
    if (!c.oneOf(...phrases)) continue;
    const argument = primary(c);
    if (argument !== undefined) return `(${build(argument)})`;
    c.reset(mark);
    return undefined;
  }
  return undefined;
}

function unary(c: Cursor): string | undefined {
  if (c.op("-")) {
    const inner = unary(c);
    return inner === undefined ? undefined : `-(${inner})`;
  }
  return primary(c);
}

function power(c: Cursor): string | undefined {
  let base = unary(c);
  while (base !== undefined) {
    if (c.op("^")) {
      const exponent = unary(c);
      if (exponent === undefined) return undefined;
      base = `(${base}) ^ (${exponent})`;
    } else if (c.oneOf("raised to the", "raised to")) {
      const exponent = c.number();
      if (exponent === undefined) return undefined;
      c.oneOf("power");
      base = `(${base}) ^ ${exponent}`;
    } else if (c.words("squared")) base = `(${base}) ^ 2`;
    else if (c.words("cubed")) base = `(${base}) ^ 3`;
    else break;
  }
  return base;
}

function product(c: Cursor): string | undefined {
  let left = power(c);
  while (left !== undefined) {
    const mark = c.mark();
    const op = c.op("*", "/");
    if (!op) break;
    const right = power(c);
    if (right === undefined) {
      c.reset(mark);
      break;
    }
    left = `${left} ${op} ${right}`;
  }
  return left;
}

/** A sum; "X + p%" / "X - p%" change X by p percent, as people mean them. */
export function sum(c: Cursor): string | undefined {
  let left = product(c);
  while (left !== undefined) {
    const mark = c.mark();
    const op = c.op("+", "-");
    if (!op) break;
    const afterOp = c.mark();
    const p = percent(c);
    if (p !== undefined && c.peek()?.kind !== "word") {
      left = `(${left}) * (1 ${op} ${num(p)} / 100)`;
      continue;
    }
    c.reset(afterOp);
    const right = product(c);
    if (right === undefined) {
      c.reset(mark);
      break;
    }
    left = `${left} ${op} ${right}`;
  }
  return left;
}
