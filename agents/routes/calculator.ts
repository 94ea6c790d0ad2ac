import { z } from "zod";
import { formatNumber } from "@/lib/text/format-number";
import { streamText } from "../answer/stream-answer";
import { extractExpression } from "../graph/extract";
import { fillArgumentsWithModel } from "../graph/model-arguments";
import { calculatorTool } from "../tools/calculator";
import { parseToolOutput } from "./parse-output";
import { defineRoute, type ModelArguments } from "./route";

const observationSchema = z.object({ expression: z.string(), result: z.string() });

const expressionSchema = z.object({ expression: z.string().min(1).max(200) });

/** The small model likes to append its own guess ("3 * 18,200 = 55,600"): keep the left side. */
export function cleanExpression(out: { expression: string }): { expression: string } {
  const left = out.expression.split("=")[0]?.trim();
  return { expression: left || out.expression };
}

const modelArguments: ModelArguments<z.infer<typeof expressionSchema>> = {
  schema: expressionSchema,
  shots: [
    ["How much is 15% of 80?", { expression: "15% of 80" }],
    ["Sales grew from 640000 to 712000; by how many percent?", { expression: "(712000 - 640000) / 640000 * 100" }],
  ],
  clean: cleanExpression,
};

/**
 * Arithmetic on numbers the user gives. The expression comes from a rule when one reads it
 * (see ../graph/extract.ts), else from the model; the answer is assembled in code, because
 * a 135M model garbles long numbers when it copies them.
 */
export const calculatorRoute = defineRoute({
  name: "calculator",
  label: "the calculator",
  description: "Evaluate arithmetic on numbers the user gives: percentages, sums, products, ratios, powers, roots, unit conversions.",
  examples: [
    "what is 25% of 480",
    "calculate 1,999 * 3",
    "(45 + 55) / 4",
    "What's 8.25% sales tax on $1,200?",
    "how much is 350 divided by 7",
    "square root of 2025",
    "what's 3 to the power of 8",
    "15 percent off 640 dollars",
    "12 times 4,800 plus 10%",
    "What is 1,000,000 / 365?",
    "sum 1873520 + 2265914",
    "If I buy 5 items at $89 each, what's the total?",
    "percentage change from 4200 to 5100",
    "what's 72 / 0.9",
    "compute (3.5 * 12) - 7",
    "How many minutes are in 38 hours?",
    "what's 19% VAT on 2,500 euros",
    "average of 12, 18, 25 and 31",
    "What is 2.5 million times 0.03?",
    "10 factorial",
    "multiply 640 by 25 and take off 5%",
    "convert 100 km to miles",
    "round 3.14159 to 2 decimals",
    "log base 2 of 1024",
    "what's 45% of 13,750 dollars",
    "how much is 7.5% of 32 million",
    "(1290 - 1190) / 1190 as a percentage",
    "a list price of $4,800 with 20% off is how much?",
    "if we sell 40 units at $1,290 each, how much revenue is that?",
    "what's 3 times 18,200 plus 2 times 9,650?",
    "revenue of 2.1 million growing by 8% is how much?",
    "how much do I save on $21,400 with a 12% discount?",
  ],
  createTool: () => calculatorTool,
  modelArguments,
  async planArguments(input) {
    const expression = extractExpression(input.message);
    if (expression) return { tool: "calculator", args: { expression }, argsFrom: "rule" };
    const out = await fillArgumentsWithModel("calculator", modelArguments, input);
    return { tool: "calculator", args: out ?? { expression: input.message }, argsFrom: out ? "model" : "default" };
  },
  readOutput(output) {
    const { expression, result } = parseToolOutput(observationSchema, output, "the calculator");
    return { summary: output, answer: (context) => Promise.resolve(streamText(`${expression} = ${formatNumber(result)}`, context.out)) };
  },
});
