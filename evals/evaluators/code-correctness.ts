import { z } from "zod";
import { runCode, type RunCodeLimits, type RunCodeResult } from "@/lib/sandbox/run-code";
import { errorScore, hasTag, makeScore, preview } from "./score";
import type { EvalCase, EvalScore, Evaluator } from "./types";

/**
 * code.tests (CODE): the JavaScript the agent wrote, run against the example's tests in the
 * run_code sandbox (a fresh V8 isolate; never eval in this process). Score = tests passed /
 * tests. Without expected tests (a `code` example that has none), the tests the agent wrote
 * for itself are used, and without any tests the code must at least run.
 */

const runCodeInput = z.object({ code: z.string(), tests: z.array(z.string()).optional() });

/** The agent's last run_code call, as it was made. */
function lastRunCodeInput(c: EvalCase): z.infer<typeof runCodeInput> | undefined {
  for (const call of [...c.toolOutputs].reverse()) {
    if (call.tool !== "run_code") continue;
    const parsed = runCodeInput.safeParse(call.input);
    if (parsed.success) return parsed.data;
  }
  return undefined;
}

export function codeOf(c: EvalCase): string | undefined {
  const code = c.code ?? lastRunCodeInput(c)?.code;
  return code !== undefined && code.trim() !== "" ? code : undefined;
}

export function testsFor(c: EvalCase): { tests: string[]; from: "expected" | "agent" | "none" } {
  const expected = c.example.expected.tests ?? [];
  if (expected.length > 0) return { tests: expected, from: "expected" };
  const own = lastRunCodeInput(c)?.tests ?? [];
  return own.length > 0 ? { tests: own, from: "agent" } : { tests: [], from: "none" };
}

export function scoreRun(result: RunCodeResult, from: "expected" | "agent" | "none"): EvalScore {
  const source = from === "expected" ? "the example's" : from === "agent" ? "the agent's own" : "no";
  if (result.tests.length === 0) {
    return result.ok
      ? makeScore(1, "ran", "The code runs; there were no tests to check it against.")
      : makeScore(0, "error", `The code fails to run: ${result.error?.code}: ${result.error?.message}`);
  }
  const failures = result.tests.filter((t) => !t.passed).map((t) => `${t.test} → ${t.error ?? "failed"}`);
  const label = result.failed === 0 && result.ok ? "pass" : result.error && result.passed === 0 ? "error" : "fail";
  const explanation =
    failures.length === 0
      ? `All ${result.passed} of ${source} tests pass.`
      : `${result.passed} of ${result.tests.length} of ${source} tests pass${result.error ? ` (${result.error.code}: ${result.error.message})` : ""}; failing: ${preview(failures, 3)}.`;
  return makeScore(result.passed / result.tests.length, label, explanation, {
    passed: result.passed,
    failed: result.failed,
    testsFrom: from,
  });
}

export function codeCorrectnessEvaluator(options: { limits?: Partial<RunCodeLimits> } = {}): Evaluator {
  return {
    name: "code.tests",
    kind: "CODE",
    appliesTo: (c) => (c.example.expected.tests?.length ?? 0) > 0 || hasTag(c, "code"),
    async evaluate(c) {
      const code = codeOf(c);
      if (code === undefined) return makeScore(0, "no_code", "The agent ran no code.");
      const { tests, from } = testsFor(c);
      try {
        return scoreRun(await runCode({ code, tests }, options.limits), from);
      } catch (error) {
        // runCode rejects only a request it cannot run (code over 20 KB, too many tests).
        return errorScore("evaluator_error", error);
      }
    },
  };
}
