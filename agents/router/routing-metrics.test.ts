import { describe, expect, it } from "vitest";
import type { RouteName } from "@/agents/routes/registry";
import { scoreRouting } from "./routing-metrics";

const o = (expected: RouteName, route: RouteName, confidence: number) => ({ expected, decision: { route, confidence } });

describe("scoreRouting", () => {
  const report = scoreRouting([
    o("calculator", "calculator", 0.9),
    o("calculator", "sales_query", 0.4),
    o("sales_query", "sales_query", 0.8),
    o("run_code", "run_code", 0.95),
  ]);

  it("computes accuracy, the confusion matrix and per-route precision/recall", () => {
    expect(report.accuracy).toBe(0.75);
    expect(report.confusion.calculator).toMatchObject({ calculator: 1, sales_query: 1 });
    const by = Object.fromEntries(report.perRoute.map((r) => [r.route, r]));
    expect(by.calculator).toMatchObject({ precision: 1, recall: 0.5, support: 2 });
    expect(by.sales_query).toMatchObject({ precision: 0.5, recall: 1, support: 1 });
    expect(by.ask_followup).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 0 });
  });

  it("reports accuracy and coverage at confidence thresholds", () => {
    const at = (t: number) => report.thresholds.find((x) => x.threshold === t);
    expect(at(0)).toMatchObject({ coverage: 1, accuracy: 0.75, kept: 4, errors: 1 });
    expect(at(0.5)).toMatchObject({ coverage: 0.75, accuracy: 1, kept: 3, errors: 0 });
    expect(at(0.95)).toMatchObject({ kept: 1 });
  });
});
