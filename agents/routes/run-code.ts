import { z } from "zod";
import { streamText } from "../answer/stream-answer";
import { extractCodeTask } from "../graph/extract";
import { fillArgumentsWithModel } from "../graph/model-arguments";
import { createRunCodeTool } from "../tools/run-code";
import { codeAnswer, runCodeObservationSchema } from "./code-answer";
import { parseToolOutput } from "./parse-output";
import { defineRoute, type ModelArguments } from "./route";

// No maxLength on `code`: a {1,2000} repetition is more than node-llama-cpp's grammar compiler accepts
// ("exceeds sane defaults"); the model's maxTokens bounds it, the sandbox checks the size.
// At least one test: a program with no tests proves nothing to the user.
const codeSchema = z.object({ code: z.string().min(1), tests: z.array(z.string().min(1).max(120)).min(1).max(4) });

/**
 * Inside a JSON grammar the small model often ends the code with the "," or ";" it would
 * put after an array element; strip that one artefact so the program can run at all.
 */
export function cleanCode<T extends { code: string; tests: string[] }>(out: T): T {
  return { ...out, code: out.code.replace(/[\s,]+$/, "") };
}

const modelArguments: ModelArguments<z.infer<typeof codeSchema>> = {
  schema: codeSchema,
  shots: [
    [
      "write a function that returns the square of n and test it",
      { code: "function square(n) { return n * n; }", tests: ["assert.equal(square(3), 9)", "assert.equal(square(0), 0)"] },
    ],
    [
      "write a function that sums an array of numbers, with tests",
      {
        code: "function sum(xs) { let total = 0; for (const x of xs) total += x; return total; }",
        tests: ["assert.equal(sum([1, 2, 3]), 6)", "assert.equal(sum([]), 0)"],
      },
    ],
  ],
  clean: cleanCode,
};

/**
 * JavaScript in the sandbox. Pasted code runs as is; otherwise the model writes the code and
 * its tests, and the tests decide: a wrong program shows up as failed tests, not as a canned answer.
 */
export const runCodeRoute = defineRoute({
  name: "run_code",
  label: "the code sandbox",
  description:
    "Write a program or function (JavaScript/TypeScript) and run it in the sandbox, e.g. to implement an algorithm or test code.",
  examples: [
    "Write a function that sorts an array of numbers",
    "write a javascript function to check if a year is a leap year",
    "implement quicksort in JS and test it",
    "Write code that counts the vowels in a string",
    "create a TypeScript function that splits an array into chunks of n",
    "write a function that converts a Roman numeral to an integer, with tests",
    "Implement a queue using two stacks",
    "write a js program that prints the first 20 primes",
    "code a function that capitalizes each word in a sentence",
    "Write a function to compute the GCD of two numbers and run it on a few examples",
    "write code that parses JSON and handles errors",
    "implement matrix multiplication in javascript",
    "write a function that computes a moving average over an array",
    "write and run a script that generates a random password",
    "Implement a throttle function",
    "write a function that validates a SKU like ACME-R100 with a regex",
    "Write a unit-tested function that applies a percent discount to a list price",
    "code a function that totals revenue per region from an array of sales records",
    "write javascript that retries a fetch with backoff",
    "implement depth-first search on a graph",
    "execute this snippet and tell me what it prints",
    "write a function to format a number as US currency",
    "implement a function that finds the anagrams of a word in a list",
    "write a test for a function that adds two numbers",
    "Can you write a script that turns a CSV string into an array of objects?",
    "implement reversing a linked list in JS",
    "write code to compute a factorial recursively and test it with 5 and 10",
    "run some JavaScript for me",
    "write a function that calls a REST API with a bearer token and handles rate limiting",
    "write a script that finds the month with the highest value in an array of sales records",
    "implement a function that verifies a signature header in JavaScript",
    "write a TypeScript function that computes tax on an invoice and test it",
  ],
  createTool: () => createRunCodeTool(),
  modelArguments,
  async planArguments(input) {
    const task = extractCodeTask(input.message);
    if (task) return { tool: "run_code", args: { ...task }, argsFrom: "rule" };
    const out = await fillArgumentsWithModel("run_code", modelArguments, input);
    return { tool: "run_code", args: out ?? { code: "", tests: [] }, argsFrom: out ? "model" : "default" };
  },
  readOutput(output, args) {
    const result = parseToolOutput(runCodeObservationSchema, output, "the code sandbox");
    const code = typeof args.code === "string" ? args.code : "";
    return {
      summary: output,
      // A failing program or test is worth one more attempt; a timeout would only time out again.
      fixable: !result.ok && result.error?.code !== "tool_timeout",
      answer: (context) => Promise.resolve(streamText(codeAnswer(code, result, context.stop), context.out)),
    };
  },
});
