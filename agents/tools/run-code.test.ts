import { describe, expect, it } from "vitest";
import { sandboxStats } from "@/lib/sandbox/sandbox-slots";
import { RUN_CODE_TOOL_DESCRIPTION, createRunCodeTool, formatRunCodeObservation, runCodeToolSchema } from "./run-code";

const runCodeTool = createRunCodeTool();

interface Observation {
  ok: boolean;
  result?: string;
  stdout?: string;
  truncated?: boolean;
  passed?: number;
  failed?: number;
  tests?: { test: string; passed: boolean; error?: string }[];
  error?: { code: string; message: string };
  durationMs: number;
}

async function call(input: unknown, tool = runCodeTool): Promise<Observation> {
  const output: unknown = await tool.invoke(input as { code: string; tests?: string[] });
  expect(typeof output).toBe("string");
  return JSON.parse(output as string) as Observation;
}

describe("run_code tool", () => {
  it("is named run_code and tells a small model when and how to use it", () => {
    expect(runCodeTool.name).toBe("run_code");
    expect(runCodeTool.description).toBe(RUN_CODE_TOOL_DESCRIPTION);
    for (const phrase of [
      /write a function/i,
      /test/i,
      /no files, no network/i,
      /ES2022/,
      /assert\.equal/,
      /assert\.deepEqual/,
      /assert\.throws/,
    ]) {
      expect(RUN_CODE_TOOL_DESCRIPTION).toMatch(phrase);
    }
  });

  it("has a described zod schema { code, tests? }", () => {
    expect(runCodeToolSchema.shape.code.description).toMatch(/JavaScript/);
    expect(runCodeToolSchema.shape.tests.description).toMatch(/assert/);
    expect(runCodeToolSchema.safeParse({ code: "1" }).success).toBe(true);
    expect(runCodeToolSchema.safeParse({ code: "1", tests: ["assert(true)"] }).success).toBe(true);
    expect(runCodeToolSchema.safeParse({ tests: [] }).success).toBe(false);
  });

  it("returns a compact JSON observation for passing code", async () => {
    const obs = await call({
      code: "function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\nconsole.log(fib(6)); fib(10)",
      tests: ["assert.equal(fib(10), 55)", "assert.equal(fib(0), 0)", "assert.deepEqual([1, 2, 3].map(fib), [1, 1, 2])"],
    });
    expect(obs).toMatchObject({ ok: true, result: "55", stdout: "8\n", passed: 3, failed: 0 });
    expect(obs.tests).toEqual([
      { test: "assert.equal(fib(10), 55)", passed: true },
      { test: "assert.equal(fib(0), 0)", passed: true },
      { test: "assert.deepEqual([1, 2, 3].map(fib), [1, 1, 2])", passed: true },
    ]);
    expect(obs.error).toBeUndefined();
    expect(obs.truncated).toBeUndefined();
  });

  it("reports failing tests with their messages", async () => {
    const obs = await call({ code: "const add = (a, b) => a - b;", tests: ["assert.equal(add(2, 3), 5)"] });
    expect(obs.ok).toBe(false);
    expect(obs.failed).toBe(1);
    expect(obs.tests?.[0]?.error).toBe("assert.equal failed: expected 5, got -1");
  });

  it("turns hostile code into an error observation", async () => {
    const loop = await call({ code: "while (true) {}" }, createRunCodeTool({ timeoutMs: 200 }));
    expect(loop).toMatchObject({ ok: false, error: { code: "tool_timeout" } });
    const escape = await call({ code: "this.constructor.constructor('return process')().exit()" });
    expect(escape).toMatchObject({ ok: false, error: { code: "tool_failed", message: "Uncaught ReferenceError: process is not defined" } });
    expect(sandboxStats().live).toBe(0);
  });

  it("returns invalid input as a tool_input_invalid observation instead of throwing", async () => {
    const obs = await call({ code: "x".repeat(30_000) });
    expect(obs).toMatchObject({ ok: false, error: { code: "tool_input_invalid" } });
    expect(obs.error?.message).toMatch(/at most 20480 bytes/);
  });

  it("omits empty fields from the observation", () => {
    const text = formatRunCodeObservation({
      ok: true,
      stdout: "",
      truncated: false,
      tests: [],
      passed: 0,
      failed: 0,
      durationMs: 3,
    });
    expect(text).toBe('{"ok":true,"durationMs":3}');
  });

  it("stops the sandboxed program when the tool call is aborted (client gone, turn deadline)", async () => {
    const slowTool = createRunCodeTool({ timeoutMs: 20_000 });
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 200);
    await expect(slowTool.invoke({ code: "while (true) {}" }, { signal: controller.signal })).rejects.toThrow();
    // give the isolate's disposal a moment to be counted
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(sandboxStats()).toMatchObject({ live: 0, running: 0 });
  });
});
