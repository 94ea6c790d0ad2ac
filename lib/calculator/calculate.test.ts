import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { MAX_EXPRESSION_CHARS, calculate } from "./calculate";
import { normaliseExpression } from "./normalise-expression";

const result = (expression: string) => calculate(expression).result;

function errorOf(expression: string): AppError {
  try {
    calculate(expression);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw new Error(`not an AppError: ${String(error)}`, { cause: error });
  }
  throw new Error(`expected ${JSON.stringify(expression)} to fail`);
}

describe("calculate: exactness", () => {
  it.each([
    ["0.1+0.2", "0.3"],
    ["0.1*3", "0.3"],
    ["1.1*1.1", "1.21"],
    ["2^64", "18446744073709551616"],
    ["2^200", "1606938044258990275541962092341162602522202993782792835301376"],
    ["1/3*3", "1"],
    ["1/3", "0.33333333333333333333"],
    ["2/3", "0.66666666666666666667"],
    ["sqrt(2)^2", "2"],
    ["123456789*987654321", "121932631112635269"],
    ["99999999999*99999999999*99999999999", "999999999970000000000299999999999"],
    ["123456789012345678901234567890*3", "370370367037037036703703703670"],
    ["5919046 + 7278431 + 8515801 + 10724597", "32437875"],
    ["1e-30", "1e-30"],
    ["-0", "0"],
    ["1-1", "0"],
  ])("%s = %s", (expression, expected) => {
    expect(result(expression)).toBe(expected);
  });

  it("refuses sums and remainders that would silently lose digits", () => {
    expect(errorOf("10^70 + 1 - 10^70").code).toBe("tool_resource_limit");
    expect(errorOf("10^100 mod 7").code).toBe("tool_resource_limit");
  });
});

describe("calculate: precedence and functions", () => {
  it.each([
    ["2+3*4", "14"],
    ["(2+3)*4", "20"],
    ["2^3^2", "512"],
    ["-2^2", "-4"],
    ["(-2)^2", "4"],
    ["2^-1", "0.5"],
    ["10-4-3", "3"],
    ["100/10/5", "2"],
    ["2(3+4)", "14"],
    ["--3", "3"],
    ["10 % 3", "1"],
    ["10 mod 4", "2"],
    ["sqrt(16)", "4"],
    ["abs(-7.5)", "7.5"],
    ["round(2.345, 2)", "2.35"],
    ["round(2.5)", "3"],
    ["floor(-2.5)", "-3"],
    ["ceil(2.1)", "3"],
    ["min(3, 1, 2)", "1"],
    ["max(3, 1, 2)", "3"],
    ["round(pi, 4)", "3.1416"],
    ["(10724597 - 8515801) / 8515801 * 100", "25.937618786535758644"],
  ])("%s = %s", (expression, expected) => {
    expect(result(expression)).toBe(expected);
  });
});

describe("calculate: percent and spellings", () => {
  it.each([
    ["15% of 80", "12"],
    ["15 % of 80", "12"],
    ["12.5% of 1,000", "125"],
    ["15 percent of 80", "12"],
    ["15%", "0.15"],
    ["50% * 80", "40"],
    ["200 + 10%", "220"],
    ["200 - 10%", "180"],
    ["12 × 3 ÷ 4", "9"],
    ["7 − 2", "5"],
    ["2**10", "1024"],
    ["1,234 * 2", "2468"],
    ["1,234,567.89 + 0.11", "1234568"],
    ["$1,200 * 3", "3600"],
    ["(1,234 + 1) * 2", "2470"],
    // Inside a call's parentheses commas separate arguments.
    ["max(1,234, 5)", "234"],
    ["max(2 * (1,000), 3)", "2000"],
    ["3 + 4 =", "7"],
  ])("%s = %s", (expression, expected) => {
    expect(result(expression)).toBe(expected);
  });

  it("reports the expression it evaluated", () => {
    expect(calculate("15% of 80")).toEqual({ expression: "(15/100)*80", result: "12" });
    expect(normaliseExpression("1,234 × max(1,234)")).toBe("1234 * max(1,234)");
  });

  it("explains argument commas when a call gets too many", () => {
    const error = errorOf("round(1,234.567, 2)");
    expect(error.code).toBe("tool_input_invalid");
    expect(error.message).toMatch(/commas separate arguments/);
  });
});

describe("calculate: errors", () => {
  it.each(["1/0", "1 / (2 - 2)", "5 mod 0", "5 % 0", "0^-1", "sqrt(-1)", "(-8)^(1/3)", "", "   ", "1 +", "(1", "12,5"])(
    "%j is tool_input_invalid",
    (expression) => {
      expect(errorOf(expression).code).toBe("tool_input_invalid");
    },
  );

  it("says division by zero plainly", () => {
    expect(errorOf("1/0").message).toMatch(/division by zero/i);
  });
});

describe("calculate: hostile input", () => {
  it.each([
    "import({})",
    "import({}, {override: true})",
    'createUnit("x")',
    'evaluate("1+1")',
    'parse("1+1")',
    'simplify("x+x")',
    'derivative("x^2", "x")',
    'resolve("x")',
    "reviver",
    "f(x)=x",
    "f(x)=x; f(2)",
    "a=1",
    "a=1; a+1",
    "abc",
    '"abc"',
    "'abc'",
    "[1,2]",
    "[1,2] * 3",
    "{a: 1}",
    "process.exit()",
    "process",
    "constructor",
    "__proto__",
    "this",
    'toString.constructor("return process")()',
    'toString.constructor("return process")',
    'cos.constructor("return process")()',
    "sqrt.constructor",
    "x => x",
    "1:3",
    "1 ? 2 : 3",
    "1 < 2",
    "5!",
    "3 cm",
    "2 inch to cm",
    "1; 2",
    "1\n2",
    "sin(1)",
    "config({number: 'number'})",
    "e.constructor",
  ])("%j is rejected as tool_input_invalid", (expression) => {
    const error = errorOf(expression);
    expect(error.code).toBe("tool_input_invalid");
    expect(error.message.length).toBeLessThan(400);
  });

  it("rejects a 10,000-character expression", () => {
    const error = errorOf("1+".repeat(5000));
    expect(error.code).toBe("tool_input_invalid");
    expect(error.message).toContain(String(MAX_EXPRESSION_CHARS));
  });

  it("rejects deep nesting before parsing (no stack overflow)", () => {
    expect(errorOf(`${"(".repeat(249)}1${")".repeat(249)}`).code).toBe("tool_input_invalid");
    expect(errorOf(`${"(".repeat(5000)}1${")".repeat(5000)}`).code).toBe("tool_input_invalid");
    expect(result(`${"(".repeat(30)}1${")".repeat(30)}`)).toBe("1");
    expect(result(`${"-".repeat(200)}1`)).toBe("1");
  });

  it.each(["9^9^9^9", "2^2^2^2^2^2", "10^1001", "1.0000001^(10^12)", "0.5^(10^9)", "10^999 * 10", "1e999 + 1e999 * 9"])(
    "%s hits a resource limit quickly",
    (expression) => {
      const started = Date.now();
      expect(errorOf(expression).code).toBe("tool_resource_limit");
      expect(Date.now() - started).toBeLessThan(1000);
    },
  );

  it("does not let a rejected call disable or change later calculations", () => {
    errorOf("import({add: 1}, {override: true})");
    expect(result("1+1")).toBe("2");
  });
});

describe("calculate: long chains within the length cap", () => {
  it("handles 240 chained powers and additions without hanging", () => {
    expect(errorOf(`2${"^2".repeat(240)}`).code).toBe("tool_resource_limit");
    expect(result(`1${"+1".repeat(240)}`)).toBe("241");
    expect(result(`1${"^1".repeat(240)}`)).toBe("1");
  });
});
