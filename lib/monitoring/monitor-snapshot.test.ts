import { describe, expect, it } from "vitest";
import type { AlertStateRecord, AlertTransitionRecord } from "@/lib/telemetry/trace-log/alert-state-store";
import { TraceLogReader } from "@/lib/telemetry/trace-log/trace-reader";
import { writeSyntheticRequests } from "@/test-support/monitoring/synthetic-requests";
import { useTempTraceLog } from "@/test-support/trace-log/recorded-traces";
import { parseAlertRules } from "./load-alert-rules";
import { monitorRange, parseMonitorQuery } from "./monitor-query";
import { monitorSnapshot, type MonitorSources } from "./monitor-snapshot";

const HOUR = 3_600_000;
const NOW = Date.parse("2026-12-05T12:00:00Z");
const RULES = parseAlertRules(
  `version: 1
rules:
  - name: p95-latency
    metric: request_latency_ms
    aggregation: p95
    window: 5m
    condition: { type: threshold, direction: above, alert: 3000 }
    severity: critical
    runbook: https://example.com/runbooks/latency
`,
  "rules.yaml",
);

const firing: AlertStateRecord = {
  rule: "p95-latency",
  groupKey: "*",
  status: "firing",
  level: "alert",
  sinceMs: NOW - 10 * 60_000,
  breachWindows: 2,
  lastEvalMs: NOW - 60_000,
  lastNotifiedMs: NOW - 10 * 60_000,
  lastValue: 3400,
  version: 3,
};
const fired: AlertTransitionRecord = {
  rule: "p95-latency",
  groupKey: "*",
  from: "pending",
  to: "firing",
  kind: "status",
  level: "alert",
  atMs: NOW - 10 * 60_000,
  value: 3400,
  detail: "3400 above 3000",
  notify: true,
};

describe("monitorSnapshot", () => {
  const temp = useTempTraceLog();

  async function snapshot(params: Record<string, string>, rules: () => ReturnType<typeof parseAlertRules> = () => RULES) {
    await writeSyntheticRequests(temp.log, { appVersion: "1.0.0", count: 60, startMs: NOW - HOUR, spacingMs: 60_000, seed: 1 });
    const sources: MonitorSources = {
      reader: new TraceLogReader(temp.log),
      alertStore: { states: () => [firing], transitions: (since = 0) => [fired].filter((t) => t.atMs >= since) },
      rules,
      traceUrl: (id) => `http://phoenix.test/redirects/traces/${id}`,
      phoenixUrl: "http://phoenix.test/projects",
    };
    return monitorSnapshot(sources, parseMonitorQuery(params), NOW);
  }

  it("charts the last hour minute by minute, one series per route, with the traces behind each point", async () => {
    const s = await snapshot({ window: "1h", groupBy: "route" });
    expect(s.requests).toBe(60);
    expect(s.range).toEqual({ fromMs: NOW - HOUR, toMs: NOW, bucketMs: 60_000 });
    const requests = s.charts.find((c) => c.id === "requests")!;
    expect(requests.series.map((x) => x.name)).toEqual(["calculator", "knowledge_base", "sales_query"]);
    expect(requests.rows).toHaveLength(60);
    expect(requests.points).toBe(60);
    const steps = s.charts.find((c) => c.id === "step-latency")!;
    expect(steps.series.map((x) => x.name)).toEqual(["EMBEDDING", "LLM", "RETRIEVER"]);
    expect(s.charts.find((c) => c.id === "thumbs-down")!.points).toBe(0);
    const first = Object.values(s.traces)[0]!;
    const [trace] = Object.values(first)[0]!;
    expect(trace!.url).toBe(`http://phoenix.test/redirects/traces/${trace!.traceId}`);
  });

  it("breaks cost down by route, model and agent step, and shows the alert state and history", async () => {
    const s = await snapshot({ window: "24h", groupBy: "none" });
    expect(s.charts.find((c) => c.id === "requests")!.series.map((x) => x.name)).toEqual(["all"]);
    expect(s.costs.byRoute.map((r) => [r.key, r.count])).toEqual([
      ["knowledge_base", 30],
      ["sales_query", 15],
      ["calculator", 15],
    ]);
    expect(s.costs.byModel.map((r) => r.key)).toEqual(["test-model"]);
    expect(s.costs.byStep).toEqual([expect.objectContaining({ key: "llm", count: 60 })]);
    expect(s.costs.byStep![0]!.costUsd).toBeCloseTo(s.costs.byModel[0]!.costUsd, 10);
    expect(s.alerts.rules).toEqual([
      expect.objectContaining({ name: "p95-latency", removed: false, groups: [expect.objectContaining({ status: "firing" })] }),
    ]);
    expect(s.alerts.history).toEqual([fired]);
  });

  it("keeps the charts when the rules file is broken, and names the problem", async () => {
    const s = await snapshot({ window: "1h" }, () => {
      throw new Error("monitoring/alerts.yaml:3: bad");
    });
    expect(s.alerts.rulesError).toContain("alerts.yaml:3");
    expect(s.alerts.rules).toEqual([expect.objectContaining({ name: "p95-latency", removed: true })]);
    expect(s.charts.find((c) => c.id === "requests")!.points).toBeGreaterThan(0);
  });
});

describe("monitor query", () => {
  it("picks a readable bucket size per window", () => {
    const range = (params: Record<string, string>) => monitorRange(parseMonitorQuery(params), NOW);
    expect(range({ window: "24h" }).bucketMs).toBe(HOUR / 2);
    expect(range({ window: "7d" }).bucketMs).toBe(3 * HOUR);
    expect(range({ window: "custom", from: "2026-12-01T00:00", to: "2026-12-01T06:00Z" })).toEqual({
      fromMs: Date.parse("2026-12-01T00:00Z"),
      toMs: Date.parse("2026-12-01T06:00Z"),
      bucketMs: 10 * 60_000,
    });
  });

  it("refuses a bad query with a 400 that names the field", () => {
    expect(() => parseMonitorQuery({ window: "2h" })).toThrow(/window/);
    expect(() => parseMonitorQuery({ window: "custom", from: "2026-12-02T00:00Z", to: "2026-12-01T00:00Z" })).toThrow(
      /to: must be after from/,
    );
    expect(() => parseMonitorQuery({ window: "custom" })).toThrow(/needs from and to/);
    expect(() => parseMonitorQuery({ groupBy: "user" })).toThrow(/groupBy/);
    expect(() => parseMonitorQuery({ window: "1h", extra: "x" })).toThrow(/extra|Unrecognized/);
    expect(parseMonitorQuery({ window: "1h", from: "", to: "" })).toEqual({ window: "1h", groupBy: "route" });
  });
});
