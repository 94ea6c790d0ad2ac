import path from "node:path";
import { describe, expect, it } from "vitest";
import { simulateRule } from "./alert-simulation";
import { loadAlertRules } from "./load-alert-rules";

describe("alerts:simulate on a default rule", () => {
  it("error-rate: no false alert on steady traffic, fires on 10 % errors and resolves after", async () => {
    const rule = loadAlertRules(path.resolve("monitoring/alerts.yaml")).find((r) => r.name === "error-rate")!;
    const result = await simulateRule(rule, { days: 0.125, seed: 1 });
    expect(result.windows).toBe(12);
    expect(result.requestsEvaluated).toBeGreaterThanOrEqual(12 * 60);
    expect(result.falseAlerts).toBe(0);
    expect(result.detectionDelayWindows).toBeGreaterThanOrEqual(1);
    expect(result.detectionDelayWindows).toBeLessThanOrEqual(4);
    expect(result.resolvedAfterWindows).toBeGreaterThanOrEqual(0);
  }, 30_000);
});
