import type { MathNode } from "mathjs";
import { parseExpression } from "./decimal-math";
import { ALLOWED_SUMMARY, evaluateTree, invalid } from "./evaluate-tree";
import { formatBigNumber } from "./format-result";
import { maxNesting, normaliseExpression } from "./normalise-expression";

/**
 * `calculator`: exact decimal arithmetic on an expression the model wrote. The expression
 * is parsed by mathjs into a syntax tree and the tree is walked (`./evaluate-tree.ts`), node by node, against
 * an allow-list (numbers, + - * / ^ %, parentheses, unary minus, sqrt abs round floor ceil
 * min max, the constants pi and e). Nothing is ever compiled or evaluated by mathjs: there
 * is no scope, no assignment, no property access, no function lookup by name outside the
 * allow-list.
 *
 * As mathjs's security guidance asks, the instance is also built from only the factories
 * needed, and the dangerous functions that `create` adds regardless are overridden to throw
 * (`./decimal-math.ts`).
 *
 * Numbers are 64-digit BigNumbers (decimal.js), so 0.1 + 0.2 is 0.3 and 2^64 is exact.
 * Values needing more than 64 significant digits are rounded (1/3, sqrt(2), 3^200); a sum,
 * difference or remainder of exact values that would lose digits is refused instead
 * (`tool_resource_limit`), since the loss would show in the answer.
 *
 * Accepted spellings, rewritten before parsing (`normaliseExpression` in `./normalise-expression.ts`):
 * - `×` `·` → `*`, `÷` → `/`, `−` `–` → `-`, `**` → `^`, `$` dropped, a trailing `=` or `?` dropped;
 * - `X% of Y` (and `X percent of Y`) → `(X/100)*Y`; otherwise mathjs's own rules hold:
 *   `15%` is 0.15, `200 + 10%` is 220 (a percentage of the left operand), and `a % b`
 *   between two numbers is the remainder;
 * - thousands separators: `1,234,567.5` → `1234567.5`, but ONLY outside a function call's
 *   parentheses. Inside `max(...)`, `min(...)`, `round(...)` etc. a comma always separates
 *   arguments, so `max(1,234)` is max(1, 234): write numbers in calls without separators.
 *   Plain grouping parentheses are not calls: `(1,234 + 1) * 2` is 2470.
 */

export const MAX_EXPRESSION_CHARS = 500;
const MAX_NESTING = 40;
const TIME_LIMIT_MS = 250;

export interface CalculationResult {
  /** The expression as evaluated, after the rewrites described above. */
  expression: string;
  /** The result in plain decimal notation: exact integers in full, others to 20 significant digits. */
  result: string;
}

/** Evaluates an arithmetic expression exactly; bad input is `tool_input_invalid`, oversized work `tool_resource_limit`. */
export function calculate(expression: string): CalculationResult {
  if (typeof expression !== "string") throw invalid("expression must be a string");
  if (expression.length > MAX_EXPRESSION_CHARS) {
    throw invalid(`The expression is too long (${expression.length} characters; max ${MAX_EXPRESSION_CHARS})`);
  }
  const normalised = normaliseExpression(expression);
  if (normalised === "") throw invalid(`The expression is empty; ${ALLOWED_SUMMARY}`);
  if (maxNesting(normalised) > MAX_NESTING) throw invalid(`The expression is nested too deeply (max ${MAX_NESTING} levels)`);

  let tree: MathNode;
  try {
    tree = parseExpression(normalised);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw invalid(`Could not parse "${normalised.slice(0, 80)}": ${message}; ${ALLOWED_SUMMARY}`);
  }
  const value = evaluateTree(tree, { deadline: Date.now() + TIME_LIMIT_MS, timeLimitMs: TIME_LIMIT_MS, maxDepth: MAX_EXPRESSION_CHARS });
  return { expression: normalised, result: formatBigNumber(value) };
}
