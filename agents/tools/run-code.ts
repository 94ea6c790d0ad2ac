import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { toAppError } from "@/lib/errors";
import { runCode, type RunCodeLimits, type RunCodeResult } from "@/lib/sandbox/run-code";

/** The model-facing `run_code` tool: runs JavaScript in the sandbox and returns a compact JSON observation. */

export const RUN_CODE_TOOL_NAME = "run_code";

export const RUN_CODE_TOOL_DESCRIPTION = [
  "Run JavaScript code in a safe sandbox and see what it returns, what it prints and whether its tests pass.",
  'Use it when the user asks you to write a function ("write a function that..."), to test or check some code, or to compute something that needs a program (loops, lists, string or date work, exact math).',
  "Rules: plain JavaScript (ES2022) only. No files, no network, no fetch, no require or import, no setTimeout, no Node.js APIs. Each run starts empty; nothing is kept between runs. Time limit 2 seconds, small memory.",
  "The value of the last expression is returned as `result`; console.log output is returned as `stdout`.",
  "To test a function, define it in `code` and put checks in `tests`, one JavaScript statement per test, using `assert`: assert(condition), assert.equal(actual, expected), assert.deepEqual(actual, expected), assert.throws(() => f(bad)).",
  'Example: code "function add(a, b) { return a + b; }", tests ["assert.equal(add(2, 3), 5)", "assert.deepEqual([add(1, 1)], [2])"].',
  "If `ok` is false, read `error` and the failing tests, fix the code and run it again.",
].join(" ");

export const runCodeToolSchema = z.object({
  code: z
    .string()
    .describe(
      "The JavaScript program to run (ES2022, no imports). Define functions here; the value of the last expression becomes `result`.",
    ),
  tests: z
    .array(z.string())
    .optional()
    .describe(
      'Optional checks, each one JavaScript statement run after the code, e.g. "assert.equal(fib(10), 55)". Available: assert(cond), assert.equal(a, b), assert.deepEqual(a, b), assert.throws(fn).',
    ),
});
export type RunCodeToolInput = z.infer<typeof runCodeToolSchema>;

/** The observation the agent reads: the result without empty fields, as one line of JSON. */
export function formatRunCodeObservation(result: RunCodeResult): string {
  const observation: Record<string, unknown> = { ok: result.ok };
  if (result.error) observation.error = result.error;
  if (result.result !== undefined) observation.result = result.result;
  if (result.stdout !== "") observation.stdout = result.stdout;
  if (result.truncated) observation.truncated = true;
  if (result.tests.length > 0) {
    observation.passed = result.passed;
    observation.failed = result.failed;
    observation.tests = result.tests.map((t) => (t.error === undefined ? { test: t.test, passed: t.passed } : t));
  }
  observation.durationMs = result.durationMs;
  return JSON.stringify(observation);
}

/** Builds the tool; `limits` override the sandbox defaults (2 s, 32 MB, 16 KB of output). */
export function createRunCodeTool(limits?: Partial<RunCodeLimits>) {
  return tool(
    async (input: RunCodeToolInput, config?: { signal?: AbortSignal }): Promise<string> => {
      try {
        return formatRunCodeObservation(await runCode(input, limits, { signal: config?.signal }));
      } catch (error) {
        // Cancelled (client gone, deadline): nobody reads an observation, so fail the tool run.
        if (config?.signal?.aborted) throw error;
        // Invalid input (too long, too many tests, empty) goes back to the model as an observation.
        const appError = toAppError(error, "tool_failed");
        return JSON.stringify({ ok: false, error: { code: appError.code, message: appError.message } });
      }
    },
    { name: RUN_CODE_TOOL_NAME, description: RUN_CODE_TOOL_DESCRIPTION, schema: runCodeToolSchema },
  );
}
