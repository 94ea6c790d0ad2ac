import { describe, expect, it } from "vitest";
import { outlierCuts, robustCut } from "./outliers";
import { pickReasons, priorityOf } from "./reasons";
import { fixtureTrace } from "@/test-support/evals/fixture-traces";
import { summarizeTrace, type TraceSummary } from "./trace-summary";

const summary = (o: Parameters<typeof fixtureTrace>[0] = {}): TraceSummary => {
  const t = fixtureTrace(o);
  return summarizeTrace(t.spans, t.judgements)!;
};
const codes = (s: TraceSummary, window: TraceSummary[] = [s]) => pickReasons(s, { cuts: outlierCuts(window) }).map((r) => r.code);

describe("reason pickers", () => {
  it("proposes nothing for a healthy trace", () => {
    expect(codes(summary())).toEqual([]);
  });

  it("flags a thumbs-down with its comment, but not a thumbs-up", () => {
    const bad = summary({ feedback: [{ score: 0, comment: "wrong" }] });
    expect(pickReasons(bad, { cuts: outlierCuts([bad]) })).toEqual([{ code: "negative_feedback", detail: "👎 with comment: wrong" }]);
    expect(codes(summary({ feedback: [{ score: 1 }] }))).toEqual([]);
    // The user changed their mind: the latest judgement counts.
    expect(
      codes(
        summary({
          feedback: [
            { score: 0, atMs: 1 },
            { score: 1, atMs: 2 },
          ],
        }),
      ),
    ).toEqual([]);
  });

  it("flags errors and tool failures apart, strongest first", () => {
    expect(codes(summary({ toolFailed: "timeout", llmFailed: "crash", feedback: [{ score: 0 }] }))).toEqual([
      "negative_feedback",
      "error",
      "tool_failure",
    ]);
  });

  it("flags low online scores: unsupported claims and irrelevant retrieval, not a low route score", () => {
    expect(codes(summary({ online: { "online.claims": { score: 0.5, label: "unsupported_claims" } } }))).toEqual(["low_online_score"]);
    expect(codes(summary({ online: { "online.retrieval_relevance": { score: 0.2, label: "low" } } }))).toEqual(["low_online_score"]);
    expect(codes(summary({ online: { "online.answer_check": { score: 0, label: "repaired" } } }))).toEqual(["low_online_score"]);
    expect(codes(summary({ online: { "online.answer_check": { score: 0, label: "abstained" } } }))).toEqual(["low_online_score"]);
    expect(codes(summary({ online: { "online.answer_check": { score: 1, label: "supported" } } }))).toEqual([]);
    expect(
      codes(
        summary({
          online: { "online.claims": { score: 1, label: "supported" }, "online.retrieval_relevance": { score: 0.7, label: "ok" } },
        }),
      ),
    ).toEqual([]);
    expect(codes(summary({ online: { "online.route_confidence": { score: 0.3, label: "low" } }, confidence: 0.95 }))).toEqual([]);
  });

  it("flags router confidence below 0.6", () => {
    expect(codes(summary({ confidence: 0.59 }))).toEqual(["low_confidence_route"]);
    expect(codes(summary({ confidence: 0.6 }))).toEqual([]);
  });

  it("flags latency and token outliers against the window's median + 3.5 scaled MADs, per route", () => {
    const normal = Array.from({ length: 12 }, (_, i) => summary({ latencyMs: 1000 + i * 20, tokens: 300 + i }));
    const slow = summary({ latencyMs: 5000 });
    const wordy = summary({ tokens: 2000 });
    const window = [...normal, slow, wordy];
    expect(codes(slow, window)).toEqual(["latency_outlier"]);
    expect(codes(wordy, window)).toEqual(["cost_outlier"]);
    expect(pickReasons(wordy, { cuts: outlierCuts(window) })[0]!.detail).toMatch(/2000 tokens > \d+ tokens/);
    expect(normal.flatMap((s) => codes(s, window))).toEqual([]);
    // A calculator is fast: its own cut, not the knowledge base's.
    const calc = Array.from({ length: 10 }, (_, i) => summary({ route: "calculator", latencyMs: 100 + i }));
    const slowCalc = summary({ route: "calculator", latencyMs: 900 });
    expect(codes(slowCalc, [...window, ...calc, slowCalc])).toEqual(["latency_outlier"]);
  });

  it("uses USD once any trace has a cost, and flags nothing with too few traces", () => {
    const priced = Array.from({ length: 10 }, () => summary({ costUsd: 0.001 }));
    const costly = summary({ costUsd: 0.01, tokens: 300 });
    expect(outlierCuts([...priced, costly]).costMetric).toBe("costUsd");
    expect(codes(costly, [...priced, costly])).toEqual(["cost_outlier"]);
    expect(codes(summary({ latencyMs: 99_000 }))).toEqual([]);
    expect(robustCut([1, 2, 3], "x")).toBeUndefined();
  });

  it("ranks by the strongest reason, a little more per extra reason", () => {
    expect(priorityOf([{ code: "negative_feedback", detail: "" }])).toBe(1);
    expect(
      priorityOf([
        { code: "latency_outlier", detail: "" },
        { code: "cost_outlier", detail: "" },
      ]),
    ).toBeCloseTo(0.41);
    expect(
      priorityOf([
        { code: "latency_outlier", detail: "" },
        { code: "cost_outlier", detail: "" },
      ]),
    ).toBeLessThan(priorityOf([{ code: "novel", detail: "" }]));
  });
});
