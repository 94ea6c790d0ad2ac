import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { calculate, MAX_EXPRESSION_CHARS } from "@/lib/calculator/calculate";
import { AppError } from "@/lib/errors";

export const CALCULATOR_TOOL_NAME = "calculator";

export const calculatorDescription = `Exact arithmetic. Give one math expression with numbers only; get the result. Use it for any sum, difference, growth rate, percentage or ratio instead of computing in your head.
Allowed: + - * / ^ (power), parentheses, % (15% = 0.15; "15% of 80" works), sqrt, abs, round(x, decimals), floor, ceil, min, max, pi, e. "1,234" means 1234 (but inside min/max/round(...) commas separate arguments). No words, variables or units.
Examples:
"How much did sales grow from 640000 to 712000, in percent?" -> {"expression":"(712000 - 640000) / 640000 * 100"}
"15% of 80" -> {"expression":"15% of 80"}
"Total of three invoices" -> {"expression":"18250 + 7340 + 22915"}
Returns JSON: {"expression": what was computed, "result": the exact result as text}.`;

/**
 * `expression` is typed `unknown` for zod (with a JSON-schema hint for the model) so that
 * a wrong type reaches `calculate`'s checks and comes back as `tool_input_invalid`, not as
 * LangChain's own ToolInputParsingException.
 */
export const calculatorSchema = z.looseObject({
  expression: z
    .unknown()
    .optional()
    .describe('One arithmetic expression using numbers only, e.g. "(712000 - 640000) / 640000 * 100".')
    .meta({ type: "string", maxLength: MAX_EXPRESSION_CHARS }),
});

export function runCalculatorTool(input: unknown): string {
  const expression =
    typeof input === "string" ? input : typeof input === "object" && input !== null && "expression" in input ? input.expression : undefined;
  if (typeof expression !== "string") {
    throw new AppError("tool_input_invalid", 'calculator expects {"expression": "<arithmetic expression>"}');
  }
  return JSON.stringify(calculate(expression));
}

export const calculatorTool = tool((input: unknown) => Promise.resolve(runCalculatorTool(input)), {
  name: CALCULATOR_TOOL_NAME,
  description: calculatorDescription,
  schema: calculatorSchema,
});
