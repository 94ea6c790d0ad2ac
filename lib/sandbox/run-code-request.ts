import { z } from "zod";
import { AppError } from "@/lib/errors";
import { describeZodIssues } from "@/lib/validation/zod-issues";

/** What a `runCode` call may ask for: the program, its tests and the sandbox limits, checked before any isolate exists. */

export const MAX_CODE_BYTES = 20 * 1024;
export const MAX_TESTS = 50;
export const MAX_TEST_BYTES = 2 * 1024;

export interface RunCodeLimits {
  /** Wall-clock budget for the code and all tests together. */
  timeoutMs: number;
  /** V8 heap limit of the isolate (isolated-vm's `memoryLimit`; a guideline, not exact). */
  memoryMb: number;
  /** Captured console output kept; more ends the run with `tool_resource_limit`. */
  maxOutputBytes: number;
}

const DEFAULT_RUN_CODE_LIMITS: RunCodeLimits = Object.freeze({
  timeoutMs: 2000,
  memoryMb: 32,
  maxOutputBytes: 16 * 1024,
});

const byteLength = (text: string): number => Buffer.byteLength(text, "utf8");

const runCodeRequestSchema = z.object({
  code: z
    .string({ error: "code must be a string" })
    .refine((code) => code.trim().length > 0, "code must not be empty")
    .refine((code) => byteLength(code) <= MAX_CODE_BYTES, `code must be at most ${MAX_CODE_BYTES} bytes`),
  tests: z
    .array(
      z
        .string({ error: "each test must be a string" })
        .refine((test) => test.trim().length > 0, "a test must not be empty")
        .refine((test) => byteLength(test) <= MAX_TEST_BYTES, `each test must be at most ${MAX_TEST_BYTES} bytes`),
      { error: "tests must be an array of strings" },
    )
    .max(MAX_TESTS, `at most ${MAX_TESTS} tests`)
    .optional(),
});
export type RunCodeRequest = z.infer<typeof runCodeRequestSchema>;

const runCodeLimitsSchema = z.object({
  timeoutMs: z.number().int().min(1).max(60_000),
  memoryMb: z.number().int().min(8).max(1024),
  maxOutputBytes: z
    .number()
    .int()
    .min(64)
    .max(1024 * 1024),
});

function stripUndefined(limits: Partial<RunCodeLimits> | undefined): Partial<RunCodeLimits> {
  const out: Partial<RunCodeLimits> = {};
  if (!limits) return out;
  if (limits.timeoutMs !== undefined) out.timeoutMs = limits.timeoutMs;
  if (limits.memoryMb !== undefined) out.memoryMb = limits.memoryMb;
  if (limits.maxOutputBytes !== undefined) out.maxOutputBytes = limits.maxOutputBytes;
  return out;
}

const describeIssues = (error: z.ZodError): string => describeZodIssues(error, 5).join("; ");

/** The request and the limits (defaults filled in), or `tool_input_invalid` saying what is wrong. */
export function parseRunCodeRequest(
  request: RunCodeRequest,
  limits: Partial<RunCodeLimits> | undefined,
): { code: string; tests: string[]; limits: RunCodeLimits } {
  const parsedRequest = runCodeRequestSchema.safeParse(request);
  if (!parsedRequest.success) throw new AppError("tool_input_invalid", describeIssues(parsedRequest.error));
  const parsedLimits = runCodeLimitsSchema.safeParse({ ...DEFAULT_RUN_CODE_LIMITS, ...stripUndefined(limits) });
  if (!parsedLimits.success) throw new AppError("tool_input_invalid", `invalid limits: ${describeIssues(parsedLimits.error)}`);
  const { code, tests = [] } = parsedRequest.data;
  return { code, tests, limits: parsedLimits.data };
}
