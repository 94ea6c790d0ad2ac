import {
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
  type BigNumber,
  type MathNode,
} from "mathjs";
import { AppError } from "../errors";
import { CLEAN_DIGITS, CONSTANTS, PRECISION, math } from "./decimal-math";

/**
 * Evaluates a parsed expression by walking its syntax tree node by node against an allow-list
 * (numbers, + - * / ^ %, parentheses, unary minus, the functions and constants below). Nothing
 * is compiled or evaluated by mathjs: no scope, no assignment, no property access, no function
 * lookup by name outside the allow-list. Every value is checked to stay finite and bounded, and
 * a sum, difference or remainder that would silently lose digits is refused.
 */

/** Results and intermediate values must stay below 10^this. */
const MAX_MAGNITUDE_DIGITS = 1000;
const MAX_MAGNITUDE = math.bignumber(10).pow(MAX_MAGNITUDE_DIGITS);

const CALCULATOR_FUNCTIONS = ["sqrt", "cbrt", "abs", "round", "floor", "ceil", "min", "max"] as const;
type CalculatorFunction = (typeof CALCULATOR_FUNCTIONS)[number];

const BINARY_OPERATORS = ["add", "subtract", "multiply", "divide", "pow", "mod"] as const;
type BinaryOperator = (typeof BINARY_OPERATORS)[number];
const isBinaryOperator = (fn: string): fn is BinaryOperator => (BINARY_OPERATORS as readonly string[]).includes(fn);

export const ALLOWED_SUMMARY = "use numbers, + - * / ^ % and parentheses, sqrt, cbrt, abs, round, floor, ceil, min, max, pi, e";

export function invalid(message: string): AppError {
  return new AppError("tool_input_invalid", message);
}

/** The bounds of one evaluation: a wall-clock deadline and a recursion backstop. */
export interface WalkLimits {
  deadline: number;
  /** For the timeout message. */
  timeLimitMs: number;
  maxDepth: number;
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

function binary(fn: BinaryOperator, a: BigNumber, b: BigNumber): BigNumber {
  switch (fn) {
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

function walk(node: MathNode, state: WalkLimits, depth: number): BigNumber {
  if (Date.now() > state.deadline) throw new AppError("tool_timeout", `The calculation took longer than ${state.timeLimitMs} ms`);
  // Unreachable for a capped-length expression; a backstop against runaway recursion.
  if (depth > state.maxDepth) throw invalid("The expression is nested too deeply");

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
    if (isBinaryOperator(node.fn) && a && b && args.length === 2) return binary(node.fn, a, b);
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

function callFunction(name: CalculatorFunction, argNodes: MathNode[], state: WalkLimits, depth: number): BigNumber {
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
    case "cbrt":
      arity(1, 1);
      if (!x) break;
      return checked(math.cbrt(x), "cbrt");
    case "abs":
      arity(1, 1);
      if (!x) break;
      return checked(math.abs(x), "abs");
    case "round":
    case "floor":
    case "ceil": {
      arity(1, 2);
      if (!x) break;
      if (n === undefined) return checked(math[name](x), name);
      return checked(math[name](x, integerArg(n, name, 0, CLEAN_DIGITS)), name);
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

/** The value of `tree`, or an `AppError`: `tool_input_invalid`, `tool_resource_limit` or `tool_timeout`. */
export function evaluateTree(tree: MathNode, limits: WalkLimits): BigNumber {
  return walk(tree, limits, 0);
}
