import { describe, expect, it } from "vitest";
import type { AlertStateRecord } from "../telemetry/trace-log/alert-state-store";
import { evaluateRule, type AlertTransition } from "./alert-evaluator";
import { alertRuleSchema, type AlertRule } from "./alert-rules";
import { evaluateCondition } from "./conditions";
import type { WindowSamples } from "./rule-windows";

const W = 60_000;

function rule(overrides: Record<string, unknown> = {}): AlertRule {
  return alertRuleSchema.parse({
    name: "latency",
    metric: "request_latency_ms",
    aggregation: "mean",
    window: "1m",
    condition: { type: "threshold", direction: "above", warning: 100, alert: 200 },
    severity: "warning",
    runbook: "README.md#runbook-latency",
    ...overrides,
  });
}

/** Replays windows of one group ("*"); `undefined` is a window without data. */
function replay(r: AlertRule, windows: (number[] | undefined)[]) {
  let states = new Map<string, AlertStateRecord>();
  const log: { window: number; status: string; level: string | null; transition?: AlertTransition }[] = [];
  windows.forEach((current, i) => {
    const samples = new Map<string, WindowSamples>(current ? [["*", { current }]] : []);
    const result = evaluateRule(r, states, samples, (i + 1) * W);
    states = new Map(result.states.map((s) => [s.groupKey, s]));
    const state = states.get("*")!;
    log.push({
      window: i + 1,
      status: state.status,
      level: state.level,
      ...(result.transitions[0] && { transition: result.transitions[0] }),
    });
  });
  return log;
}

const statuses = (log: ReturnType<typeof replay>) => log.map((l) => l.status);
const notified = (log: ReturnType<typeof replay>) =>
  log
    .filter((l) => l.transition?.notify)
    .map((l) => `${l.window}:${l.transition!.kind === "status" ? l.transition!.to : l.transition!.kind}`);

describe("evaluateRule", () => {
  it("fires after sustained windows and resolves on the first clear one", () => {
    const log = replay(rule({ sustained_windows: 2 }), [[50], [300], [300], [300], [50], [50]]);
    expect(statuses(log)).toEqual(["ok", "pending", "firing", "firing", "resolved", "resolved"]);
    expect(notified(log)).toEqual(["3:firing", "5:resolved"]);
    expect(log[1]!.transition).toMatchObject({ from: "ok", to: "pending", notify: false });
    expect(log[2]!.transition).toMatchObject({ from: "pending", to: "firing", level: "alert", value: 300, detail: "300 above 200" });
  });

  it("drops a pending alert that does not last", () => {
    const log = replay(rule({ sustained_windows: 3 }), [[300], [300], [50], [300]]);
    expect(statuses(log)).toEqual(["pending", "pending", "ok", "pending"]);
    expect(notified(log)).toEqual([]);
  });

  it("fires at the warning level and escalates to alert", () => {
    const log = replay(rule(), [[150], [150], [250]]);
    expect(log.map((l) => l.level)).toEqual(["warning", "warning", "alert"]);
    expect(notified(log)).toEqual(["1:firing", "3:escalated"]);
  });

  it("re-notifies while firing, every renotify interval", () => {
    const log = replay(rule({ renotify: "2m" }), [[300], [300], [300], [300], [300]]);
    expect(notified(log)).toEqual(["1:firing", "3:renotify", "5:renotify"]);
  });

  it("holds a new firing until the cool-down since the last notification has passed", () => {
    // Fires at 1, resolves at 2 (notified), breaches again at 3 and 4: held until 2 + 3 windows.
    const log = replay(rule({ cooldown: "3m" }), [[300], [50], [300], [300], [300]]);
    expect(statuses(log)).toEqual(["firing", "resolved", "pending", "pending", "firing"]);
    expect(notified(log)).toEqual(["1:firing", "2:resolved", "5:firing"]);
  });

  it("treats windows under min_samples as missing data, as the rule says", () => {
    const windows = [[300, 300, 300], [300], undefined, [50, 50, 50]];
    expect(statuses(replay(rule({ min_samples: 3, missing_data: "ok" }), windows))).toEqual(["firing", "resolved", "resolved", "resolved"]);
    expect(statuses(replay(rule({ min_samples: 3, missing_data: "keep" }), windows))).toEqual(["firing", "firing", "firing", "resolved"]);
    const alerting = replay(rule({ min_samples: 3, missing_data: "alert" }), [[50, 50, 50], undefined]);
    expect(statuses(alerting)).toEqual(["ok", "firing"]);
    expect(alerting[1]!.transition).toMatchObject({ level: "alert", detail: "0 samples (min 3)" });
  });

  it("evaluates a window once: a second evaluation of the same end changes nothing", () => {
    const r = rule();
    const first = evaluateRule(r, new Map(), new Map([["*", { current: [300] }]]), W);
    const again = evaluateRule(r, new Map(first.states.map((s) => [s.groupKey, s])), new Map([["*", { current: [300] }]]), W);
    expect(first.transitions).toHaveLength(1);
    expect(again.transitions).toEqual([]);
    expect(again.states).toEqual(first.states);
  });

  it("keeps one state per group", () => {
    const r = rule({ group_by: ["route"] });
    const result = evaluateRule(
      r,
      new Map(),
      new Map([
        ["route=a", { current: [300] }],
        ["route=b", { current: [50] }],
      ]),
      W,
    );
    expect(result.states.map((s) => [s.groupKey, s.status])).toEqual([
      ["route=a", "firing"],
      ["route=b", "ok"],
    ]);
  });
});

describe("baseline conditions", () => {
  const baselineRule = (metric: string, aggregation: string, test: string, extra: Record<string, unknown> = {}) =>
    rule({
      metric,
      aggregation,
      condition: {
        type: "baseline",
        baseline: { kind: "previous_period", periods: 4 },
        test,
        direction: "increase",
        alpha: 0.01,
        ...extra,
      },
    });
  const ones = (k: number, n: number) => Array.from({ length: n }, (_, i) => (i < k ? 1 : 0));

  it("two-proportion z-test: 30/200 against 15/200 is significant at 0.01, unless the effect is too small", () => {
    const samples = { current: ones(30, 200), baseline: ones(15, 200), baselineWindows: 4 };
    const outcome = evaluateCondition(baselineRule("error_rate", "rate", "two_proportion_z"), samples);
    expect(outcome).toMatchObject({ state: "breach", level: "alert", value: 0.15, baselineValue: 0.075 });
    expect(outcome.pValue).toBeCloseTo(0.008808686117259405, 6);
    const bigEffect = baselineRule("error_rate", "rate", "two_proportion_z", { min_effect: { absolute: 0.1 } });
    expect(evaluateCondition(bigEffect, samples).state).toBe("clear");
  });

  it("Wilson intervals: the same data does not separate (more conservative); a warning level at a looser alpha", () => {
    const samples = { current: ones(30, 200), baseline: ones(15, 200) };
    expect(evaluateCondition(baselineRule("error_rate", "rate", "wilson"), samples).state).toBe("clear");
    const warn = baselineRule("error_rate", "rate", "wilson", { warning_alpha: 0.2 });
    expect(evaluateCondition(warn, samples)).toMatchObject({ state: "breach", level: "warning" });
  });

  it("Mann–Whitney on latency, and the bootstrap of the p95 itself", () => {
    const baseline = Array.from({ length: 80 }, (_, i) => 100 + (i % 20));
    const slow = baseline.slice(0, 20).map((v) => v * 2);
    expect(evaluateCondition(baselineRule("request_latency_ms", "p95", "mann_whitney"), { current: slow, baseline })).toMatchObject({
      state: "breach",
      level: "alert",
    });
    expect(evaluateCondition(baselineRule("request_latency_ms", "p95", "bootstrap"), { current: slow, baseline }).state).toBe("breach");
    const same = baseline.slice(0, 20);
    expect(evaluateCondition(baselineRule("request_latency_ms", "p95", "mann_whitney"), { current: same, baseline }).state).toBe("clear");
  });

  it("Poisson on request counts: 20 in one window against 30 in four", () => {
    const outcome = evaluateCondition(baselineRule("request_count", "count", "poisson"), {
      current: Array<number>(20).fill(1),
      baseline: Array<number>(30).fill(1),
      baselineWindows: 4,
    });
    expect(outcome).toMatchObject({ state: "breach", value: 20, baselineValue: 7.5 });
    expect(outcome.pValue).toBeCloseTo(0.0009324364894211258, 9);
  });

  it("a baseline under min_samples is missing data", () => {
    const r: AlertRule = { ...baselineRule("error_rate", "rate", "two_proportion_z"), min_samples: 10 };
    expect(evaluateCondition(r, { current: ones(5, 20), baseline: ones(1, 5) })).toMatchObject({ state: "missing" });
  });
});
