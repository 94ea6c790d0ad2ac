import path from "node:path";
import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { loadAlertRules, parseAlertRules } from "./load-alert-rules";

const FILE = "monitoring/alerts.yaml";

function problems(text: string): string {
  try {
    parseAlertRules(text, FILE);
  } catch (error) {
    if (error instanceof AppError && error.code === "config_invalid") return error.message;
    throw error;
  }
  throw new Error("expected the rules to be refused");
}

const RULE = `version: 1
rules:
  - name: error-rate
    metric: error_rate
    aggregation: rate
    window: 15m
    condition: { type: threshold, direction: above, warning: 0.05, alert: 0.1 }
    severity: critical
    runbook: README.md#runbook-errors
`;

describe("alert rules file", () => {
  it("loads the committed default rules", () => {
    const rules = loadAlertRules(path.resolve(FILE));
    expect(rules.map((r) => r.name)).toEqual([
      "p95-latency-spike",
      "error-rate",
      "cost-per-request-anomaly",
      "hallucination-rate-increase",
      "retrieval-relevance-drop",
      "routing-confidence-drop",
      "thumbs-down-increase",
    ]);
  });

  it("fills defaults and parses durations", () => {
    const [rule] = parseAlertRules(RULE, FILE);
    expect(rule).toMatchObject({
      window: 900_000,
      min_samples: 1,
      sustained_windows: 1,
      cooldown: 0,
      missing_data: "ok",
      filter: {},
      group_by: [],
    });
  });

  it("names the line, the rule and the field of a bad value", () => {
    expect(problems(RULE.replace("window: 15m", "window: 15 minutes"))).toContain(
      `${FILE}:6 rule "error-rate": field window: must be a duration such as 30s, 5m, 1h, 7d or 2w; got "15 minutes"`,
    );
    expect(problems(RULE.replace("alert: 0.1", "alert: high"))).toMatch(
      /^monitoring\/alerts\.yaml:7 rule "error-rate": field condition\.alert: /m,
    );
  });

  it("points a missing field at its rule, and an unknown one at itself", () => {
    expect(problems(RULE.replace("    severity: critical\n", ""))).toMatch(
      /^monitoring\/alerts\.yaml:3 rule "error-rate": field severity: /m,
    );
    expect(problems(RULE.replace("    window: 15m\n", "    window: 15m\n    sustained: 3\n"))).toContain(
      `${FILE}:7 rule "error-rate": field sustained: is not a rule field (a typo?)`,
    );
  });

  it("checks that the metric, aggregation and test fit together", () => {
    expect(problems(RULE.replace("metric: error_rate", "metric: error_ratio"))).toContain(
      `${FILE}:4 rule "error-rate": field metric: is not a known metric`,
    );
    expect(problems(RULE.replace("aggregation: rate", "aggregation: p95"))).toContain(
      `${FILE}:5 rule "error-rate": field aggregation: error_rate is a proportion: use rate`,
    );
    const baseline = RULE.replace(
      "condition: { type: threshold, direction: above, warning: 0.05, alert: 0.1 }",
      "condition:\n      type: baseline\n      baseline: { kind: previous_period, periods: 4 }\n      test: mann_whitney\n      direction: increase",
    );
    expect(problems(baseline)).toContain(
      `${FILE}:10 rule "error-rate": field condition.test: error_rate is a proportion: use two_proportion_z or wilson`,
    );
  });

  it("refuses duplicate names, bad warning levels and broken YAML", () => {
    const twice = RULE + RULE.split("rules:\n")[1];
    expect(problems(twice)).toContain(`${FILE}:10 rule "error-rate": field name: is used by an earlier rule`);
    expect(problems(RULE.replace("warning: 0.05", "warning: 0.5"))).toContain(
      `rule "error-rate": field condition.warning: must be reached before the alert level`,
    );
    expect(problems(RULE.replace("  - name: error-rate", "  - name: [error-rate"))).toMatch(/^monitoring\/alerts\.yaml:\d+: /m);
    expect(problems("version: 1\nrules: []\n")).toContain(`${FILE}:2: field rules: must list at least one rule`);
  });
});
