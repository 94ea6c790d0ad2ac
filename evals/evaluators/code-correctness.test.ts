import { describe, expect, it } from "vitest";
import { codeCorrectnessEvaluator, codeOf, testsFor } from "./code-correctness";
import { makeCase } from "@/test-support/evals/eval-cases";

// These run the real run_code sandbox (isolated-vm): vitest starts workers with --no-node-snapshot.
const evaluator = codeCorrectnessEvaluator();
const squareTests = ["assert.equal(square(3), 9)", "assert.equal(square(-2), 4)", "assert.equal(square(0), 0)"];
const codeExample = { tags: ["code"], expected: { tests: squareTests } };

describe("code.tests", () => {
  it("applies to examples with tests or the code tag", () => {
    expect(evaluator.appliesTo(makeCase({ example: codeExample }))).toBe(true);
    expect(evaluator.appliesTo(makeCase({ example: { tags: ["code"] } }))).toBe(true);
    expect(evaluator.appliesTo(makeCase())).toBe(false);
  });

  it("passes correct code", async () => {
    const score = await evaluator.evaluate(makeCase({ example: codeExample, code: "function square(n) { return n * n; }" }), {});
    expect(score).toMatchObject({ score: 1, label: "pass" });
  });

  it("scores the share of tests passed and names the failures", async () => {
    const score = await evaluator.evaluate(makeCase({ example: codeExample, code: "function square(n) { return n * 2; }" }), {});
    expect(score.label).toBe("fail");
    expect(score.score).toBeCloseTo(1 / 3);
    expect(score.explanation).toContain("square(3)");
  });

  it("gives 0 to code that does not parse or loops forever, without hurting the runner", async () => {
    expect(await evaluator.evaluate(makeCase({ example: codeExample, code: "function square(n) { return n * ; }" }), {})).toMatchObject({
      score: 0,
      label: "error",
    });
    const slow = codeCorrectnessEvaluator({ limits: { timeoutMs: 200 } });
    const looped = await slow.evaluate(makeCase({ example: codeExample, code: "while (true) {}" }), {});
    expect(looped).toMatchObject({ score: 0, label: "error" });
    expect(looped.explanation).toContain("tool_timeout");
  });

  it("keeps the code away from this process", async () => {
    const score = await evaluator.evaluate(
      makeCase({
        example: {
          tags: ["code"],
          expected: { tests: ["assert.equal(typeof process, 'undefined')", "assert.equal(typeof require, 'undefined')"] },
        },
        code: "1",
      }),
      {},
    );
    expect(score).toMatchObject({ score: 1, label: "pass" });
  });

  it("falls back to the agent's run_code call for the code and its own tests", async () => {
    const c = makeCase({
      example: { tags: ["code"] },
      toolOutputs: [
        { tool: "run_code", input: { code: "const twice = (x) => 2 * x;", tests: ["assert.equal(twice(4), 8)"] }, output: "{}" },
      ],
    });
    expect(codeOf(c)).toBe("const twice = (x) => 2 * x;");
    expect(testsFor(c)).toEqual({ tests: ["assert.equal(twice(4), 8)"], from: "agent" });
    expect(await evaluator.evaluate(c, {})).toMatchObject({ score: 1, label: "pass" });
  });

  it("scores 0 when the agent ran no code", async () => {
    expect(await evaluator.evaluate(makeCase({ example: codeExample }), {})).toMatchObject({ score: 0, label: "no_code" });
  });
});
