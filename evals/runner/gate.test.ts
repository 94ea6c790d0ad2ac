import { describe, expect, it } from "vitest";
import { applyGate, baselineFrom, RUN_OK_METRIC, toleranceFor, type Thresholds } from "./gate";
import type { ExampleResult } from "./types";

const thresholds: Thresholds = {
  toleranceZ: 2,
  minTolerance: 0.02,
  passScore: 0.5,
  metrics: { "retrieval.hit@4": { min: 0.5 } },
  judges: {},
};

function example(id: string, scores: Record<string, number>, error?: boolean): ExampleResult {
  return {
    exampleId: id,
    dataset: "manual",
    tags: [],
    input: id,
    answer: "",
    expected: {},
    sources: [],
    latencyMs: 10,
    scores: Object.fromEntries(
      Object.entries(scores).map(([k, v]) => [k, { score: v, label: v >= 0.5 ? "pass" : "fail", explanation: "", kind: "CODE" as const }]),
    ),
    ...(error ? { error: { code: "llm_failed", message: "boom" } } : {}),
  };
}

const run = (hits: number[]) => hits.map((h, i) => example(`e${i}`, { "retrieval.hit@4": h }));

describe("the quality gate", () => {
  it("passes a run equal to its baseline, and fails one below the absolute floor", () => {
    const current = run([1, 1, 1, 0, 1, 1, 1, 1, 0, 1]);
    const baseline = baselineFrom("b", {}, current);
    expect(applyGate(current, thresholds, baseline).passed).toBe(true);
    const bad = applyGate(run([0, 0, 1, 0, 0, 0, 1, 0, 0, 0]), thresholds, undefined);
    expect(bad.passed).toBe(false);
    expect(bad.metrics.find((m) => m.metric === "retrieval.hit@4")).toMatchObject({
      status: "fail",
      reason: expect.stringContaining("below threshold 0.50"),
    });
  });

  it("fails a drop larger than the sample's tolerance and names the examples that went from pass to fail", () => {
    const baseline = baselineFrom("b", {}, run(Array<number>(30).fill(1)));
    const current = run([...Array<number>(24).fill(1), ...Array<number>(6).fill(0)]); // 1.0 → 0.8, above the floor
    const gate = applyGate(current, thresholds, baseline);
    const hit = gate.metrics.find((m) => m.metric === "retrieval.hit@4")!;
    expect(hit.status).toBe("fail");
    expect(hit.delta).toBeCloseTo(-0.2, 10);
    expect(hit.reason).toContain("dropped 0.200");
    expect(gate.regressions.map((r) => r.exampleId)).toEqual(["e24", "e25", "e26", "e27", "e28", "e29"]);
  });

  it("tolerates noise in a small sample that it would not tolerate in a large one", () => {
    const small = applyGate(
      run([1, 1, 0, 1]),
      thresholds,
      baselineFrom(
        "b",
        {},
        run([1, 1, 1, 1]).map((e, i) => (i === 3 ? example("e3", { "retrieval.hit@4": 0 }) : e)),
      ),
    );
    // Baseline 0.75 over 4 → p = 5/8, tolerance 2·sqrt(0.625·0.375/4) ≈ 0.48: one example's 0.25 drop passes.
    expect(small.metrics.find((m) => m.metric === "retrieval.hit@4")?.status).toBe("pass");
    const big = applyGate(
      run([
        ...Array<number>(300)
          .fill(1)
          .map((_, i) => (i % 4 === 0 ? 0 : 1)),
      ]),
      thresholds,
      baselineFrom("b", {}, run(Array<number>(300).fill(1))),
    );
    // 1.0 → 0.75 over 300 is far outside noise.
    expect(big.metrics.find((m) => m.metric === "retrieval.hit@4")?.status).toBe("fail");
  });

  it("allows a perfect baseline some noise, less the larger the sample", () => {
    const t = { toleranceZ: 2, minTolerance: 0.02 };
    expect(toleranceFor(1, 30, t)).toBeGreaterThan(1 / 30); // one flaky example of 30 passes
    expect(toleranceFor(1, 30, t)).toBeLessThan(0.2); // a 0.2 drop over the CI subset fails
    expect(toleranceFor(1, 300, t)).toBe(0.02);
    expect(toleranceFor(1.2, 20, t)).toBeLessThan(0.2); // a baseline raised past 1 is clamped
  });

  it("fails when the baseline's per-metric means were raised by 0.2, on the full set and on a subset", () => {
    const scores = [...Array<number>(20).fill(1), ...Array<number>(20).fill(0)].map((v, i) => (i % 3 === 0 ? 1 - v : v));
    const current = run(scores);
    const baseline = baselineFrom("b", {}, current);
    for (const m of Object.values(baseline.metrics)) m.mean += 0.2;
    expect(applyGate(current, { ...thresholds, metrics: {} }, baseline).metrics.find((m) => m.metric === "retrieval.hit@4")?.status).toBe(
      "fail",
    );
    const subset = current.slice(0, 30);
    const gate = applyGate(subset, { ...thresholds, metrics: {} }, baseline);
    expect(gate.metrics.find((m) => m.metric === "retrieval.hit@4")).toMatchObject({ status: "fail", delta: expect.closeTo(-0.2, 5) });
    // Untouched, the same baseline passes.
    expect(applyGate(subset, { ...thresholds, metrics: {} }, baselineFrom("b", {}, current)).passed).toBe(true);
  });

  it("compares baseline and run on the examples they share, so a subset uses the full baseline", () => {
    const baseline = baselineFrom("b", {}, run([1, 0, 1, 0, 1, 0]));
    const subset = [example("e0", { "retrieval.hit@4": 1 }), example("e2", { "retrieval.hit@4": 1 })];
    const hit = applyGate(subset, thresholds, baseline).metrics.find((m) => m.metric === "retrieval.hit@4")!;
    expect(hit.baseline).toBe(1);
    expect(hit.delta).toBe(0);
  });

  it("counts a broken agent run against agent.run_ok and keeps judge errors out of the mean", () => {
    const judged = example("j", { "hallucination.judge": 1 });
    judged.scores["hallucination.judge"]!.error = { code: "llm_failed", message: "unparseable" };
    const gate = applyGate(
      [example("ok", {}), example("broken", {}, true), judged],
      { ...thresholds, metrics: { [RUN_OK_METRIC]: { min: 0.95 } } },
      undefined,
    );
    expect(gate.metrics.find((m) => m.metric === RUN_OK_METRIC)).toMatchObject({ n: 3, status: "fail" });
    expect(gate.metrics.find((m) => m.metric === "hallucination.judge")).toMatchObject({ n: 0, errors: 1, status: "no-data" });
  });
});

describe("the gate's holes, closed", () => {
  it("fails a floored metric that produced no data, unless the run was narrowed on purpose", () => {
    const onlyOther = [example("e0", { "qa.facts": 1 })];
    const gate = applyGate(onlyOther, thresholds, undefined);
    expect(gate.passed).toBe(false);
    expect(gate.metrics.find((m) => m.metric === "retrieval.hit@4")).toMatchObject({
      status: "fail",
      reason: expect.stringContaining("no data"),
    });
    const errored = [
      {
        ...example("e0", {}),
        scores: {
          "retrieval.hit@4": {
            score: 0,
            label: "evaluator_error",
            explanation: "",
            kind: "CODE" as const,
            error: { code: "internal" as const, message: "x" },
          },
        },
      },
    ];
    expect(applyGate(errored, thresholds, undefined).metrics.find((m) => m.metric === "retrieval.hit@4")).toMatchObject({
      status: "fail",
      reason: expect.stringContaining("1 evaluator errors"),
    });
    expect(applyGate(onlyOther, thresholds, undefined, { requireData: false }).passed).toBe(true);
  });

  it("fails on more pass → fail regressions than --fail-on-regressions allows", () => {
    const baseline = baselineFrom("b", {}, run(Array<number>(40).fill(1)));
    const current = run([...Array<number>(38).fill(1), 0, 0]); // two regressions, mean 0.95 within tolerance
    expect(applyGate(current, thresholds, baseline).passed).toBe(true);
    expect(applyGate(current, thresholds, baseline, { failOnRegressions: 2 }).passed).toBe(true);
    const strict = applyGate(current, thresholds, baseline, { failOnRegressions: 1 });
    expect(strict).toMatchObject({ passed: false, regressionLimit: 1 });
    expect(strict.regressions).toHaveLength(2);
  });

  it("reports an unqualified judge's metric without gating on it", () => {
    const current = [example("e0", { "retrieval.hit@4": 1, "qa.judge": 0 }), example("e1", { "retrieval.hit@4": 1, "qa.judge": 0 })];
    const floors = { ...thresholds, metrics: { ...thresholds.metrics, "qa.judge": { min: 0.9 } } };
    const gate = applyGate(current, floors, undefined, { ungated: new Map([["qa.judge", "unqualified: self-judging"]]) });
    expect(gate.passed).toBe(true);
    expect(gate.metrics.find((m) => m.metric === "qa.judge")).toMatchObject({ status: "unqualified", reason: "unqualified: self-judging" });
  });

  it("reports dev and test means side by side", () => {
    const current = [
      { ...example("d", { "retrieval.hit@4": 1 }), split: "dev" as const },
      { ...example("t1", { "retrieval.hit@4": 0 }), split: "test" as const },
      { ...example("t2", { "retrieval.hit@4": 1 }), split: "test" as const },
    ];
    expect(applyGate(current, thresholds, undefined).metrics.find((m) => m.metric === "retrieval.hit@4")).toMatchObject({
      dev: { mean: 1, n: 1 },
      test: { mean: 0.5, n: 2 },
    });
  });
});
