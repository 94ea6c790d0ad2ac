import {
  absDependencies,
  addDependencies,
  bignumberDependencies,
  ceilDependencies,
  create,
  divideDependencies,
  floorDependencies,
  isAccessorNode,
  isArrayNode,
  isAssignmentNode,
  isBigNumber,
  isBlockNode,
  isConditionalNode,
  isConstantNode,
  isFunctionAssignmentNode,
  isFunctionNode,
  isIndexNode,
  isObjectNode,
  isOperatorNode,
  isParenthesisNode,
  isRangeNode,
  isRelationalNode,
  isSymbolNode,
  maxDependencies,
  minDependencies,
  modDependencies,
  multiplyDependencies,
  parseDependencies,
  powDependencies,
  roundDependencies,
  sqrtDependencies,
  subtractDependencies,
  unaryMinusDependencies,
  type BigNumber,
  type FactoryFunctionMap,
  type MathNode,
} from "mathjs";
import { AppError } from "../errors";

/**
 * `calculator`: exact decimal arithmetic on an expression the model wrote. The expression
 * is parsed by mathjs into a syntax tree and the tree is walked here, node by node, against
 * an allow-list (numbers, + - * / ^ %, parentheses, unary minus, sqrt abs round floor ceil
 * min max, the constants pi and e). Nothing is ever compiled or evaluated by mathjs: there
 * is no scope, no assignment, no property access, no function lookup by name outside the
 * allow-list.
 *
 * As mathjs's security guidance asks, the instance is also built from only the factories
 * needed, and the dangerous functions that `create` adds regardless are overridden to throw.
 *
 * Numbers are 64-digit BigNumbers (decimal.js), so 0.1 + 0.2 is 0.3 and 2^64 is exact.
 * Values needing more than 64 significant digits are rounded (1/3, sqrt(2), 3^200); a sum,
 * difference or remainder of exact values that would lose digits is refused instead
 * (`tool_resource_limit`), since the loss would show in the answer.
 *
 * Accepted spellings, rewritten before parsing (see `normaliseExpression`):
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
export const MAX_NESTING = 40;
/** Results and intermediate values must stay below 10^this. */
export const MAX_MAGNITUDE_DIGITS = 1000;
export const TIME_LIMIT_MS = 250;
/** Digits shown for non-integer results (integers are shown in full up to 60 digits). */
export const DISPLAY_SIGNIFICANT_DIGITS = 20;
const PRECISION = 64;
/** Working precision minus a few guard digits: 1/3*3 is 0.999...9 at 64 digits and 1 at 60. */
const CLEAN_DIGITS = 60;

export const CALCULATOR_FUNCTIONS = ["sqrt", "abs", "round", "floor", "ceil", "min", "max"] as const;
type CalculatorFunction = (typeof CALCULATOR_FUNCTIONS)[number];
export const CALCULATOR_CONSTANTS = ["pi", "e"] as const;

/** mathjs types its dependency exports as possibly undefined (an index signature); check them once. */
function dependencies(map: Record<string, FactoryFunctionMap | undefined>): FactoryFunctionMap {
  const out: FactoryFunctionMap = {};
  for (const [name, deps] of Object.entries(map)) {
    if (!deps) throw new Error(`mathjs does not export ${name}`);
    out[name] = deps;
  }
  return out;
}

const math = create(
  dependencies({
    parseDependencies,
    bignumberDependencies,
    addDependencies,
    subtractDependencies,
    multiplyDependencies,
    divideDependencies,
    powDependencies,
    modDependencies,
    unaryMinusDependencies,
    sqrtDependencies,
    absDependencies,
    roundDependencies,
    floorDependencies,
    ceilDependencies,
    minDependencies,
    maxDependencies,
  }),
  { number: "BigNumber", precision: PRECISION },
);

/** Kept privately before `parse` is disabled on the instance. */
const parseExpression = math.parse;

const disabled = (name: string) => () => {
  throw new Error(`Function ${name} is disabled`);
};
math.import(
  {
    import: disabled("import"),
    createUnit: disabled("createUnit"),
    evaluate: disabled("evaluate"),
    parse: disabled("parse"),
    compile: disabled("compile"),
    simplify: disabled("simplify"),
    derivative: disabled("derivative"),
    resolve: disabled("resolve"),
    reviver: disabled("reviver"),
  },
  { override: true },
);

// Decimal methods compute at the instance's precision (64 digits).
const CONSTANTS: Record<(typeof CALCULATOR_CONSTANTS)[number], BigNumber> = {
  pi: math.bignumber(-1).acos(),
  e: math.bignumber(1).exp(),
};
const MAX_MAGNITUDE = math.bignumber(10).pow(MAX_MAGNITUDE_DIGITS);
const CLEAN_INTEGER_LIMIT = math.bignumber(10).pow(CLEAN_DIGITS);
const EXACT_INTEGER_LIMIT = math.bignumber(10).pow(PRECISION);

export interface CalculationResult {
  /** The expression as evaluated, after the rewrites described above. */
  expression: string;
  /** The result in plain decimal notation: exact integers in full, others to 20 significant digits. */
  result: string;
}

const ALLOWED_SUMMARY = "use numbers, + - * / ^ % and parentheses, sqrt, abs, round, floor, ceil, min, max, pi, e";

function invalid(message: string): AppError {
  return new AppError("tool_input_invalid", message);
}

/** Which characters sit directly inside a function call's parentheses (see the module comment). */
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

function maxNesting(text: string): number {
  let depth = 0;
  let max = 0;
  for (const ch of text) {
    if (ch === "(" || ch === "[" || ch === "{") max = Math.max(max, ++depth);
    else if (ch === ")" || ch === "]" || ch === "}") depth--;
  }
  return max;
}

interface WalkState {
  deadline: number;
}

/** Every value the walk produces passes through here: a finite BigNumber of bounded size. */
function checked(value: unknown, what: string): BigNumber {
  if (!isBigNumber(value)) throw invalid(`${what} did not give a real number`);
  if (value.isNaN()) throw invalid(`${what} is not a number`);
  if (!value.isFinite()) throw invalid(`${what} is infinite (division by zero?)`);
  if (value.abs().gte(MAX_MAGNITUDE)) {
    throw new AppError("tool_resource_limit", `${what} is too large (limit 10^${MAX_MAGNITUDE_DIGITS})`);
  }
  return value;
}

function integerArg(value: BigNumber, fn: string, min: number, max: number): number {
  if (!value.isInteger() || value.lt(min) || value.gt(max)) {
    throw invalid(`${fn}: the number of decimals must be a whole number from ${min} to ${max}`);
  }
  return value.toNumber();
}

function power(base: BigNumber, exponent: BigNumber): BigNumber {
  if (base.isZero() && exponent.isNegative()) throw invalid("Division by zero (0 raised to a negative power)");
  if (base.isNegative() && !exponent.isInteger()) {
    throw invalid("A negative number raised to a fractional power is not a real number");
  }
  const magnitude = base.abs();
  if (!magnitude.isZero() && !magnitude.eq(1)) {
    // Digits of the result, estimated before computing it: 9^9^9^9 stops here.
    const digits = exponent.abs().times(magnitude.log(10)).abs();
    if (digits.gt(MAX_MAGNITUDE_DIGITS)) {
      throw new AppError("tool_resource_limit", `The power is too large (its result would exceed 10^${MAX_MAGNITUDE_DIGITS})`);
    }
  }
  return checked(math.pow(base, exponent), "The power");
}

/**
 * Values with fewer than 64 significant digits are taken to be exact (1/3 and sqrt(2) fill
 * all 64). Adding, subtracting or taking the remainder of two exact values whose digits
 * span more than 64 places would silently round (10^70 + 1 - 10^70 would give 0, and
 * 10^100 mod 7 garbage), so it is refused instead.
 */
function needsMoreDigits(a: BigNumber, b: BigNumber): boolean {
  if (a.isZero() || b.isZero()) return false;
  if (a.sd() >= PRECISION || b.sd() >= PRECISION) return false;
  const lowest = Math.min(a.e - a.sd() + 1, b.e - b.sd() + 1);
  const highest = Math.max(a.e, b.e) + 1; // room for a carry
  return highest - lowest + 1 > PRECISION;
}

function precisionLimit(what: string): AppError {
  return new AppError("tool_resource_limit", `${what} needs more than ${PRECISION} significant digits, so the result would not be exact`);
}

const BINARY_OPERATORS = new Set(["add", "subtract", "multiply", "divide", "pow", "mod"]);

function walk(node: MathNode, state: WalkState, depth: number): BigNumber {
  if (Date.now() > state.deadline) throw new AppError("tool_timeout", `The calculation took longer than ${TIME_LIMIT_MS} ms`);
  // Unreachable for a capped-length expression; a backstop against runaway recursion.
  if (depth > MAX_EXPRESSION_CHARS) throw invalid("The expression is nested too deeply");

  if (isConstantNode(node)) {
    const value: unknown = node.value;
    if (typeof value === "number" && Number.isFinite(value)) return checked(math.bignumber(value), "A number");
    if (isBigNumber(value)) return checked(value, "A number");
    throw invalid(`Only numbers are allowed, not ${JSON.stringify(value)}; ${ALLOWED_SUMMARY}`);
  }
  if (isParenthesisNode(node)) return walk(node.content, state, depth + 1);
  if (isSymbolNode(node)) {
    const name = node.name;
    if (name === "pi" || name === "e") return CONSTANTS[name];
    throw invalid(`Unknown name "${name.slice(0, 40)}": variables and units are not supported; ${ALLOWED_SUMMARY}`);
  }
  if (isOperatorNode(node)) {
    const args = node.args.map((arg) => walk(arg, state, depth + 1));
    const [a, b] = args;
    if (node.fn === "unaryMinus" && a && args.length === 1) return checked(math.unaryMinus(a), "The result");
    if (node.fn === "unaryPlus" && a && args.length === 1) return a;
    if (BINARY_OPERATORS.has(node.fn) && a && b && args.length === 2) {
      switch (node.fn) {
        case "add":
          if (needsMoreDigits(a, b)) throw precisionLimit("This sum");
          return checked(math.add(a, b), "The sum");
        case "subtract":
          if (needsMoreDigits(a, b)) throw precisionLimit("This difference");
          return checked(math.subtract(a, b), "The difference");
        case "multiply":
          return checked(math.multiply(a, b), "The product");
        case "divide":
          if (b.isZero()) throw invalid("Division by zero");
          return checked(math.divide(a, b), "The quotient");
        case "mod":
          if (b.isZero()) throw invalid("Division by zero (remainder of division by 0)");
          if (needsMoreDigits(a, b)) throw precisionLimit("This remainder");
          return checked(math.mod(a, b), "The remainder");
        case "pow":
          return power(a, b);
      }
    }
    throw invalid(`The operator "${node.op}" is not supported; ${ALLOWED_SUMMARY}`);
  }
  if (isFunctionNode(node)) {
    const fnNode: MathNode = node.fn;
    if (!isSymbolNode(fnNode) || !(CALCULATOR_FUNCTIONS as readonly string[]).includes(fnNode.name)) {
      const name = isSymbolNode(fnNode) ? `"${fnNode.name.slice(0, 40)}"` : "anything but a named function";
      throw invalid(`Calling ${name} is not allowed: only ${CALCULATOR_FUNCTIONS.join(", ")} can be called; ${ALLOWED_SUMMARY}`);
    }
    return callFunction(fnNode.name as CalculatorFunction, node.args, state, depth);
  }
  if (isAssignmentNode(node) || isFunctionAssignmentNode(node)) {
    throw invalid(`Assignments and function definitions are not allowed; ${ALLOWED_SUMMARY}`);
  }
  if (isArrayNode(node) || isIndexNode(node) || isRangeNode(node))
    throw invalid(`Matrices, lists and ranges are not supported; ${ALLOWED_SUMMARY}`);
  if (isAccessorNode(node) || isObjectNode(node)) throw invalid(`Objects and property access are not allowed; ${ALLOWED_SUMMARY}`);
  if (isBlockNode(node)) throw invalid("Give exactly one expression (no ';' or line breaks between several)");
  if (isConditionalNode(node) || isRelationalNode(node)) throw invalid(`Comparisons and conditions are not supported; ${ALLOWED_SUMMARY}`);
  throw invalid(`Unsupported syntax (${node.type}); ${ALLOWED_SUMMARY}`);
}

function callFunction(name: CalculatorFunction, argNodes: MathNode[], state: WalkState, depth: number): BigNumber {
  const args = argNodes.map((arg) => walk(arg, state, depth + 1));
  const arity = (min: number, max: number) => {
    if (args.length < min || args.length > max) {
      const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} or ${max}`;
      throw invalid(
        `${name} takes ${expected} argument(s), got ${args.length}; inside function calls commas separate arguments, so write numbers there without thousands separators`,
      );
    }
  };
  const [x, n] = args;
  switch (name) {
    case "sqrt":
      arity(1, 1);
      if (!x) break;
      if (x.isNegative()) throw invalid("sqrt of a negative number is not a real number");
      return checked(math.sqrt(x), "sqrt");
    case "abs":
      arity(1, 1);
      if (!x) break;
      return checked(math.abs(x), "abs");
    case "round":
    case "floor":
    case "ceil": {
      arity(1, 2);
      if (!x) break;
      const fn = math[name];
      if (n === undefined) return checked(fn(x), name);
      return checked(fn(x, integerArg(n, name, 0, CLEAN_DIGITS)), name);
    }
    case "min":
    case "max": {
      arity(1, 100);
      let best = x;
      for (const value of args) if (best && (name === "max" ? value.gt(best) : value.lt(best))) best = value;
      if (best) return best;
      break;
    }
  }
  throw invalid(`${name}: missing argument`);
}

/** Formats without float noise: exact integers in full (up to 64 digits), other values to 20 significant digits. */
export function formatBigNumber(value: BigNumber): string {
  // An exact integer (fewer than 64 significant digits) is shown in full.
  if (value.isInteger() && value.sd() < PRECISION && value.abs().lt(EXACT_INTEGER_LIMIT)) {
    return value.isZero() ? "0" : value.toFixed(0);
  }
  const clean = value.toSignificantDigits(CLEAN_DIGITS);
  if (clean.isZero()) return "0";
  if (clean.isInteger() && clean.abs().lt(CLEAN_INTEGER_LIMIT)) return clean.toFixed(0);
  const shown = clean.toSignificantDigits(DISPLAY_SIGNIFICANT_DIGITS);
  const abs = shown.abs();
  if (abs.gte("1e-12") && abs.lt("1e21")) return shown.toFixed();
  return shown.toExponential().replace(/\.?0+e/, "e");
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
  const value = walk(tree, { deadline: Date.now() + TIME_LIMIT_MS }, 0);
  return { expression: normalised, result: formatBigNumber(value) };
}
