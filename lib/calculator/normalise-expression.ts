/**
 * Rewrites the spellings people (and models) use into mathjs syntax before parsing, and
 * measures nesting before the parser sees deep input. See `./calculate.ts` for the list.
 */

/** Which characters sit directly inside a function call's parentheses (see `./calculate.ts`). */
function insideCall(text: string): boolean[] {
  const stack: boolean[] = [];
  const flags: boolean[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "(") {
      const before = text.slice(0, i).trimEnd();
      flags.push(stack.at(-1) ?? false);
      stack.push(/[A-Za-z_][A-Za-z0-9_]*$/.test(before));
      continue;
    }
    if (ch === "[" || ch === "{") stack.push(false);
    if ((ch === ")" || ch === "]" || ch === "}") && stack.length > 0) stack.pop();
    flags.push(stack.at(-1) ?? false);
  }
  return flags;
}

const THOUSANDS = /(?<![\w.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\w.,])/g;

/** Rewrites common spellings into mathjs syntax. */
export function normaliseExpression(expression: string): string {
  let s = expression
    .replace(/[×✕✖⋅·]/g, "*")
    .replace(/[÷∶]/g, "/")
    .replace(/[−–—]/g, "-")
    .replace(/\*\*/g, "^")
    .replace(/\$/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/\s*[=?]+$/, "")
    .trim();
  const calls = insideCall(s);
  s = s.replace(THOUSANDS, (match: string, offset: number) => (calls[offset] ? match : match.replace(/,/g, "")));
  s = s.replace(/\s*\bpercent\b/gi, "%");
  s = s.replace(/(\d+(?:\.\d+)?)\s*%\s*of\b\s*/gi, "($1/100)*");
  return s;
}

/** The deepest nesting of brackets in `text` (checked before parsing: no stack overflow in the parser). */
export function maxNesting(text: string): number {
  let depth = 0;
  let max = 0;
  for (const ch of text) {
    if (ch === "(" || ch === "[" || ch === "{") max = Math.max(max, ++depth);
    else if (ch === ")" || ch === "]" || ch === "}") depth--;
  }
  return max;
}
