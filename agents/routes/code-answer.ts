import { z } from "zod";

/** The run_code tool's observation (agents/tools/run-code.ts `formatRunCodeObservation`). */
export const runCodeObservationSchema = z.object({
  ok: z.boolean(),
  result: z.string().optional(),
  stdout: z.string().optional(),
  truncated: z.boolean().optional(),
  passed: z.number().optional(),
  failed: z.number().optional(),
  tests: z.array(z.object({ test: z.string(), passed: z.boolean(), error: z.string().optional() })).optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  durationMs: z.number().optional(),
});
export type RunCodeObservation = z.infer<typeof runCodeObservationSchema>;

/** The code that ran, its tests one per line, the result and output, assembled in code so counts are never miscopied. */
export function codeAnswer(code: string, r: RunCodeObservation, stop?: "step_limit" | "repeated_call"): string {
  const lines = [`\`\`\`js\n${code}\n\`\`\``];
  if (r.tests && r.tests.length > 0) {
    lines.push(`Tests: ${r.passed ?? 0} passed, ${r.failed ?? 0} failed.`);
    for (const t of r.tests) lines.push(`- ${t.passed ? "✓" : "✗"} \`${t.test}\`${t.error ? ` (${t.error})` : ""}`);
  }
  if (r.result !== undefined) lines.push(`Result: ${r.result}`);
  if (r.stdout) lines.push(`Output:\n${r.stdout.trimEnd()}`);
  if (r.error) lines.push(`It failed: ${r.error.code}: ${r.error.message}`);
  if (!r.ok && stop)
    lines.push(
      stop === "repeated_call" ? "I stopped instead of running the same code again." : "I stopped after the maximum number of steps.",
    );
  return lines.join("\n");
}
