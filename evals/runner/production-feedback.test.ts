import { describe, expect, it } from "vitest";
import type { ExportedTrace } from "@/lib/curation/trace-export";
import type { DatasetExample } from "@/lib/datasets/dataset-example";
import { useTempTraceLog } from "@/test-support/trace-log/recorded-traces";
import { productionFeedback } from "./production-feedback";
import type { ExampleResult } from "./types";

const traceId = (n: number) => String(n).padStart(32, "0");

function item(n: number, dataset = "production"): { dataset: string; example: DatasetExample } {
  return {
    dataset,
    example: {
      id: `prod-${n}`,
      input: { message: `question ${n}` },
      expected: {},
      tags: [],
      traceId: traceId(n),
      split: "test",
      source: "production",
      createdAt: "2026-12-01T00:00:00.000Z",
      reviewed: true,
    },
  };
}

function scored(n: number, answer: string): ExampleResult {
  return {
    exampleId: `prod-${n}`,
    dataset: "production",
    tags: [],
    input: "",
    answer,
    expected: {},
    sources: [],
    latencyMs: 1,
    scores: {},
  };
}

function exported(n: number, answer: string, scores: number[]): ExportedTrace {
  return {
    traceId: traceId(n),
    exportedAt: "2026-12-01T00:00:00.000Z",
    spans: [
      {
        spanId: "a".repeat(16),
        parentSpanId: null,
        name: "chat",
        spanKind: "AGENT",
        startTime: "2026-12-01T00:00:00.000Z",
        durationMs: 5,
        status: "OK",
        attributes: { "output.value": answer },
      },
    ],
    ...(scores.length > 0 ? { feedback: scores.map((score) => ({ score })) } : {}),
  };
}

describe("productionFeedback", () => {
  const temp = useTempTraceLog();

  it("takes the latest rating from the dataset's trace export when the answer is the one rated", async () => {
    const feedback = await productionFeedback(
      [item(1), item(2)],
      [scored(1, "Returns take 30 days."), scored(2, "Ask support.")],
      [exported(1, "Returns take 30 days. ", [0, 1]), exported(2, "Ask support.", [0])],
    );
    expect([...feedback]).toEqual([
      ["prod-1", true],
      ["prod-2", false],
    ]);
  });

  it("leaves out an answer that changed since it was rated, an unrated trace and other datasets", async () => {
    const feedback = await productionFeedback(
      [item(1), item(2), item(3, "manual")],
      [scored(1, "A new answer."), scored(2, "Unrated."), scored(3, "Manual.")],
      [exported(1, "The answer the user saw.", [1]), exported(2, "Unrated.", []), exported(3, "Manual.", [1])],
    );
    expect(feedback.size).toBe(0);
  });

  it("falls back to the export when the trace log does not hold the trace (a fresh clone)", async () => {
    const feedback = await productionFeedback([item(4)], [scored(4, "Yes.")], [exported(4, "Yes.", [1])], temp.log);
    expect(feedback.get("prod-4")).toBe(true);
  });
});
