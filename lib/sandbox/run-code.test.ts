import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { runCode, type RunCodeResult } from "./run-code";
import { MAX_CODE_BYTES, MAX_TEST_BYTES, MAX_TESTS } from "./run-code-request";
import { sandboxStats } from "./sandbox-slots";

const FIB = "function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }";
const FAST = { timeoutMs: 300 };

describe("runCode: ordinary programs", () => {
  it("runs correct code and passes its tests", async () => {
    const r = await runCode({
      code: FIB,
      tests: ["assert.equal(fib(10), 55)", "assert(fib(1) === 1)", "assert.deepEqual([0, 1, 2, 3].map(fib), [0, 1, 1, 2])"],
    });
    expect(r.error).toBeUndefined();
    expect(r.ok).toBe(true);
    expect(r.passed).toBe(3);
    expect(r.failed).toBe(0);
    expect(r.tests.every((t) => t.passed)).toBe(true);
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("fails a wrong implementation with the assertion message", async () => {
    const r = await runCode({
      code: "function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 3); }",
      tests: ["assert.equal(fib(10), 55)", "assert(fib(1) === 1, 'fib(1) must be 1')", "assert(fib(7) === 13, 'fib(7) must be 13')"],
    });
    expect(r.ok).toBe(false);
    expect(r.error).toBeUndefined();
    expect(r.passed).toBe(1);
    expect(r.failed).toBe(2);
    expect(r.tests[0]).toMatchObject({ passed: false, error: expect.stringMatching(/expected 55, got \d+/) });
    expect(r.tests[2]).toEqual({ test: "assert(fib(7) === 13, 'fib(7) must be 13')", passed: false, error: "fib(7) must be 13" });
  });

  it("reports deepEqual, throws and boolean-expression failures clearly", async () => {
    const r = await runCode({
      code: "const double = (xs) => xs.map((x) => x * 2); const parse = (s) => { if (!s) throw new RangeError('empty'); return s; };",
      tests: [
        "assert.deepEqual(double([1, 2]), [2, 4])",
        "assert.deepEqual(double([1, 2]), [2, 5])",
        "assert.deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })",
        "assert.throws(() => parse(''), RangeError)",
        "assert.throws(() => parse(''), /empty/)",
        "assert.throws(() => parse('x'))",
        "double([1])[0] === 2",
        "double([1])[0] === 3",
        "undefinedFunction()",
        "const a = [1]; a.push(a); const b = [1]; b.push(b); assert.deepEqual(a, b)",
        "assert.deepEqual(new Map([[1, [2]]]), new Map([[1, [2]]]))",
      ],
    });
    expect(r.tests.map((t) => t.passed)).toEqual([true, false, true, true, true, false, true, false, false, true, true]);
    expect(r.tests[1]?.error).toBe("assert.deepEqual failed: expected [2, 5], got [2, 4]");
    expect(r.tests[5]?.error).toMatch(/did not throw/);
    expect(r.tests[7]?.error).toMatch(/evaluated to false/);
    expect(r.tests[8]?.error).toBe("ReferenceError: undefinedFunction is not defined");
  });

  it("reports a syntax error with its position and does not run the tests", async () => {
    const r = await runCode({ code: "function f( {\n  return 1;\n}", tests: ["assert(true)"] });
    expect(r.ok).toBe(false);
    expect(r.error?.code).toBe("tool_failed");
    expect(r.error?.message).toMatch(/^SyntaxError: .+ \[code\.js:\d+:\d+\]$/);
    expect(r.tests).toEqual([{ test: "assert(true)", passed: false, error: "not run: the code failed" }]);
  });

  it("reports a thrown error with the JavaScript message", async () => {
    const r = await runCode({ code: "console.log('before'); throw new TypeError('bad input')" });
    expect(r.ok).toBe(false);
    expect(r.error).toEqual({ code: "tool_failed", message: "Uncaught TypeError: bad input" });
    expect(r.stdout).toBe("before\n");
  });

  it("describes thrown non-Error values without running host code on them", async () => {
    const r = await runCode({ code: "throw { toString() { return 'x'; }, reason: 42 }" });
    expect(r.error?.code).toBe("tool_failed");
    expect(r.error?.message).toMatch(/non-Error value thrown: \{ toString: \[Function toString\], reason: 42 \}/);
  });

  it("captures console output and returns the completion value", async () => {
    const r = await runCode({
      code: "console.log('a', 1, { b: [1, 'c'] }); console.info('i'); console.warn('w'); console.error(new Error('e')); const xs = [3, 1, 2]; xs.sort()",
    });
    expect(r.ok).toBe(true);
    expect(r.stdout).toBe('a 1 { b: [1, "c"] }\ni\n[warn] w\n[error] Error: e\n');
    expect(r.result).toBe("[1, 2, 3]");
    expect(r.truncated).toBe(false);
  });

  it("shares top-level const/let/class bindings with the tests, also in strict mode", async () => {
    const r = await runCode({
      code: "'use strict';\nconst LIMIT = 3;\nlet count = 0;\nclass Box { constructor(v) { this.v = v; } }\nLIMIT * 2",
      tests: ["assert.equal(LIMIT, 3)", "count++; assert.equal(count, 1)", "assert.equal(new Box(2).v, 2)"],
    });
    expect(r.ok).toBe(true);
    expect(r.result).toBe("6");
  });

  it("awaits promises that settle without timers (async code and async tests)", async () => {
    const r = await runCode({
      code: "async function twice(x) { await null; return x * 2; }\ntwice(21)",
      tests: ["twice(2).then((v) => assert.equal(v, 4))", "twice(2).then((v) => assert.equal(v, 5))", "new Promise(() => {})"],
    });
    expect(r.result).toBe("42");
    expect(r.tests.map((t) => t.passed)).toEqual([true, false, false]);
    expect(r.tests[1]?.error).toBe("assert.equal failed: expected 5, got 4");
    expect(r.tests[2]?.error).toMatch(/never settled/);
  });

  it("caps a huge completion value", async () => {
    const r = await runCode({ code: "'y'.repeat(1e6)" });
    expect(r.ok).toBe(true);
    expect(r.truncated).toBe(true);
    expect(r.result?.length).toBeLessThanOrEqual(4096);
  });
});

describe("runCode: input validation", () => {
  it.each([
    ["empty code", { code: "  " }],
    ["code too large", { code: "x".repeat(MAX_CODE_BYTES + 1) }],
    ["too many tests", { code: "1", tests: Array.from({ length: MAX_TESTS + 1 }, () => "assert(true)") }],
    ["test too large", { code: "1", tests: ["x".repeat(MAX_TEST_BYTES + 1)] }],
    ["code not a string", { code: 42 as unknown as string }],
  ])("throws tool_input_invalid for %s", async (_name, request) => {
    const error = await runCode(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("tool_input_invalid");
  });

  it("rejects invalid limits", async () => {
    const error = await runCode({ code: "1" }, { memoryMb: 1 }).catch((e: unknown) => e);
    expect((error as AppError).code).toBe("tool_input_invalid");
  });
});

describe("runCode: hostile programs fail safely", () => {
  const HOST_MARKER = "__runCodeHostMarker";
  const host = globalThis as Record<string, unknown>;
  beforeEach(() => {
    host[HOST_MARKER] = 42;
  });
  afterEach(() => {
    // The host process is untouched: same globals, `process` and its methods intact.
    expect(host[HOST_MARKER]).toBe(42);
    expect(typeof process.exit).toBe("function");
    expect(process.pid).toBeGreaterThan(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(sandboxStats().live).toBe(0);
    delete host[HOST_MARKER];
  });

  const failsWith = (r: RunCodeResult, code: string, message: RegExp) => {
    expect(r.ok).toBe(false);
    expect(r.error?.code).toBe(code);
    expect(r.error?.message).toMatch(message);
  };

  it.each([
    ["require('fs')", /ReferenceError: require is not defined/],
    ["process.exit(1)", /ReferenceError: process is not defined/],
    ["this.constructor.constructor('return process')()", /ReferenceError: process is not defined/],
    ["new Function('return process')()", /ReferenceError: process is not defined/],
    ["eval('process')", /ReferenceError: process is not defined/],
    ["fetch('http://127.0.0.1')", /ReferenceError: fetch is not defined/],
    ["setTimeout(() => {}, 0)", /ReferenceError: setTimeout is not defined/],
    ["setInterval(() => {}, 1)", /ReferenceError: setInterval is not defined/],
    ["import('fs')", /Uncaught/],
    ["new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))", /WebAssembly is not defined/],
    ["new SharedArrayBuffer(8)", /SharedArrayBuffer is not defined/],
  ])("%s fails with tool_failed", async (code, message) => {
    failsWith(await runCode({ code }), "tool_failed", message);
  });

  it("globalThis.constructor.constructor('return this')() is the sandbox's own global", async () => {
    const r = await runCode({
      code: "const g = globalThis.constructor.constructor('return this')(); [typeof g.process, typeof g.require, typeof g.setTimeout, typeof g.setInterval, typeof g.fetch, g === globalThis]",
    });
    expect(r.result).toBe('["undefined", "undefined", "undefined", "undefined", "undefined", true]');
    failsWith(
      await runCode({ code: "globalThis.constructor.constructor('return this')().process.exit()" }),
      "tool_failed",
      /TypeError: Cannot read properties of undefined \(reading 'exit'\)/,
    );
  });

  it("changes to builtins stay inside the sandbox", async () => {
    const r = await runCode({
      code: "Object.prototype.polluted = 1; JSON.stringify = () => 'x'.repeat(1e7); Array.prototype.join = null; 5",
    });
    expect(r.ok).toBe(true);
    expect(r.result).toBe("5");
  });

  it("while(true){} times out while the host event loop keeps running", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    try {
      const r = await runCode({ code: "while (true) {}" }, { timeoutMs: 1000 });
      failsWith(r, "tool_timeout", /Time limit exceeded/);
      expect(r.durationMs).toBeGreaterThanOrEqual(900);
      expect(r.durationMs).toBeLessThan(4000);
      expect(ticks).toBeGreaterThanOrEqual(10);
    } finally {
      clearInterval(timer);
    }
  });

  it("uses a 2 s budget by default", async () => {
    const r = await runCode({ code: "for (;;) {}" });
    failsWith(r, "tool_timeout", /2000 ms/);
    expect(r.durationMs).toBeGreaterThanOrEqual(1900);
  });

  it("for(;;){} inside a test times out that test and skips the rest", async () => {
    const r = await runCode({ code: FIB, tests: ["assert.equal(fib(5), 5)", "for (;;) {}", "assert(true)"] }, FAST);
    failsWith(r, "tool_timeout", /Time limit exceeded/);
    expect(r.tests.map((t) => t.passed)).toEqual([true, false, false]);
    expect(r.tests[1]?.error).toMatch(/Time limit exceeded/);
    expect(r.tests[2]?.error).toBe("not run: time limit reached");
  });

  it.each([
    ["Promise.resolve().then recursion", "function spin() { Promise.resolve().then(spin); } spin();"],
    ["async loop", "(async () => { while (true) await null; })()"],
    ["thrown object with a looping getter", "throw { get message() { while (true) {} } }"],
    ["looping toString in console.log", "console.log({ toString() { for (;;) {} } }); console.log(String({ toString() { for (;;) {} } }))"],
  ])("%s times out", async (_name, code) => {
    failsWith(await runCode({ code }, FAST), "tool_timeout", /Time limit exceeded/);
  });

  it("memory bomb hits the memory limit", async () => {
    const r = await runCode({ code: "const a = []; while (true) a.push(new Array(1e6).fill(1));" });
    failsWith(r, "tool_resource_limit", /Memory limit exceeded/);
  });

  it.each([
    ["string doubling", "let s = 'x'; while (true) s += s;"],
    ["string repeat doubling", "let s = 'x'; while (true) s = s.repeat(2);"],
    ["huge ArrayBuffer", "new ArrayBuffer(2 ** 31)"],
  ])("%s hits a resource limit", async (_name, code) => {
    failsWith(await runCode({ code }, FAST), "tool_resource_limit", /too large|Memory limit/);
  });

  it("huge output is truncated and stops the run", async () => {
    const r = await runCode({ code: "for (;;) console.log('x'.repeat(1e4))" }, { maxOutputBytes: 4096 });
    failsWith(r, "tool_resource_limit", /Output limit exceeded/);
    expect(r.truncated).toBe(true);
    expect(r.stdout).toMatch(/…\[output truncated: more than 4096 bytes\]$/);
    expect(Buffer.byteLength(r.stdout)).toBeLessThan(4096 + 100);
  });

  it("swallowing the output-limit error does not help", async () => {
    const r = await runCode({ code: "for (;;) { try { console.log('y'.repeat(1e4)); } catch {} }" }, { ...FAST, maxOutputBytes: 4096 });
    expect(r.error?.code).toBe("tool_resource_limit");
    expect(Buffer.byteLength(r.stdout)).toBeLessThan(4096 + 100);
  });

  it("timers are absent, so a callback can never outlive the run", async () => {
    const r = await runCode({
      code: "[typeof setTimeout, typeof setInterval, typeof setImmediate, typeof queueMicrotask === 'function' ? 'q' : 'none', typeof process, typeof require]",
    });
    expect(r.result).toMatch(/^\["undefined", "undefined", "undefined", "(q|none)", "undefined", "undefined"\]$/);
  });
});

describe("runCode: resources are released", () => {
  it("20 sequential runs dispose every isolate and keep RSS growth modest", async () => {
    const before = sandboxStats();
    await runCode({ code: "1" }); // warm-up
    const rssBefore = process.memoryUsage().rss;
    for (let i = 0; i < 20; i++) {
      const r = await runCode({ code: `${FIB}\nconst big = new Array(2e5).fill(${i}); fib(15)`, tests: ["assert.equal(fib(10), 55)"] });
      expect(r.ok).toBe(true);
    }
    const after = sandboxStats();
    expect(after.created - before.created).toBe(21);
    expect(after.live).toBe(0);
    expect(after.running).toBe(0);
    const growthMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
    expect(growthMb).toBeLessThan(150);
  });

  it("runs concurrently without mixing output", async () => {
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => runCode({ code: `console.log('run ${i}'); ${i}` })));
    results.forEach((r, i) => {
      expect(r.stdout).toBe(`run ${i}\n`);
      expect(r.result).toBe(String(i));
    });
    expect(sandboxStats().live).toBe(0);
  });
});

describe("runCode: cancellation", () => {
  const LONG = { timeoutMs: 20_000 };

  it("stops a running program when its caller aborts, long before the time limit", async () => {
    const controller = new AbortController();
    const started = performance.now();
    const run = runCode({ code: "while (true) {}" }, LONG, { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    await expect(run).rejects.toMatchObject({ code: "aborted" });
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(sandboxStats()).toMatchObject({ live: 0, running: 0 });
  });

  it("takes a queued run out of the queue when its caller aborts, and never starts it", async () => {
    const busy = new AbortController();
    // Fill every slot with loops that only end when aborted.
    const blockers = Array.from({ length: 4 }, () => runCode({ code: "while (true) {}" }, LONG, { signal: busy.signal }).catch(() => "x"));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const created = sandboxStats().created;
    const queued = new AbortController();
    const run = runCode({ code: "1" }, undefined, { signal: queued.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sandboxStats().queued).toBe(1);
    queued.abort();
    await expect(run).rejects.toMatchObject({ code: "aborted" });
    expect(sandboxStats().queued).toBe(0);
    busy.abort();
    await Promise.all(blockers);
    expect(sandboxStats()).toMatchObject({ live: 0, running: 0, created });
  });
});
