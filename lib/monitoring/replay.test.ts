import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TraceLogReader } from "@/lib/telemetry/trace-log/trace-reader";
import { runTsxScript } from "@/test-support/process/run-tsx-script";
import { recordRequest, tracerInto } from "@/test-support/monitoring/request-traces";
import { openTempTraceLog } from "@/test-support/trace-log/recorded-traces";
import { firingEpisodes, formatBacktest } from "./alert-report";
import { parseAlertRules } from "./load-alert-rules";
import { readRequests } from "./read-requests";
import { RequestHistory } from "./request-history";
import { replayRule } from "./replay";

// Twelve 5-minute windows of 10 requests each; windows 7–9 (ending T0+35m … T0+45m) are three
// times slower. Both rules need two windows in breach: they fire at the end of window 8 and
// resolve at the end of window 10, the first normal one.
const T0 = Date.parse("2026-03-02T10:00:00Z");
const MIN = 60_000;

const RULES = `version: 1
rules:
  - name: p95-over-200ms
    metric: request_latency_ms
    aggregation: p95
    window: 5m
    condition: { type: threshold, direction: above, alert: 200 }
    min_samples: 5
    sustained_windows: 2
    severity: warning
    runbook: README.md#runbook-latency
  - name: p50-vs-previous-30m
    metric: request_latency_ms
    aggregation: p50
    group_by: [route]
    window: 5m
    condition:
      type: baseline
      baseline: { kind: previous_period, periods: 6 }
      test: mann_whitney
      direction: increase
      alpha: 0.01
      min_effect: { relative: 0.5 }
    min_samples: 5
    sustained_windows: 2
    missing_data: keep
    severity: warning
    runbook: README.md#runbook-latency
`;

describe("backtest over a trace log with a latency regression", () => {
  let temp: ReturnType<typeof openTempTraceLog>;
  let history: RequestHistory;

  beforeAll(async () => {
    temp = openTempTraceLog();
    const { tracer, provider } = tracerInto(temp.log);
    for (let window = 0; window < 12; window++) {
      const slow = window >= 6 && window <= 8;
      for (let i = 0; i < 10; i++) {
        const latencyMs = (100 + i * 3) * (slow ? 3 : 1);
        recordRequest(tracer, { atMs: T0 + window * 5 * MIN + i * 20_000, latencyMs, llm: [{ ms: latencyMs / 2 }] });
      }
    }
    await provider.forceFlush();
    history = new RequestHistory(await readRequests(new TraceLogReader(temp.log), T0 - 60 * MIN, T0 + 60 * MIN));
  });
  afterAll(() => temp.remove());

  it("fires at the second slow window and resolves at the first normal one", () => {
    const rules = parseAlertRules(RULES, "test.yaml");
    const replays = rules.map((rule) => replayRule(rule, history, T0, T0 + 60 * MIN));
    expect(replays.map((r) => r.windows)).toEqual([12, 12]);
    const episodes = firingEpisodes(replays);
    expect(
      episodes.map((e) => [e.rule, e.group, new Date(e.firedAtMs).toISOString(), e.resolvedAtMs && new Date(e.resolvedAtMs).toISOString()]),
    ).toEqual([
      ["p95-over-200ms", "*", "2026-03-02T10:40:00.000Z", "2026-03-02T10:50:00.000Z"],
      ["p50-vs-previous-30m", "route=knowledge_base_search", "2026-03-02T10:40:00.000Z", "2026-03-02T10:50:00.000Z"],
    ]);
    const pending = replays[0]!.transitions.find((t) => t.to === "pending");
    expect(pending?.atMs).toBe(T0 + 35 * MIN);
    expect(formatBacktest(replays)).toMatch(/p95-over-200ms +\* +alert +2026-03-02 10:40Z +2026-03-02 10:50Z +10m/);
  });

  it("prints the same from the command line, and the current state exits 0 once resolved", async () => {
    const rulesFile = path.join(temp.dir, "alerts.yaml");
    fs.writeFileSync(rulesFile, RULES);
    const common = [
      "--rules",
      rulesFile,
      "--trace-log",
      temp.log.file,
      "--since",
      new Date(T0).toISOString(),
      "--until",
      new Date(T0 + 60 * MIN).toISOString(),
    ];
    const backtest = await runTsxScript("scripts/alerts.ts", [...common, "--backtest", "--json"]);
    expect(backtest.code).toBe(0);
    const body = JSON.parse(backtest.stdout) as { requests: number; episodes: { rule: string; firedAtMs: number; resolvedAtMs: number }[] };
    expect(body.requests).toBe(120);
    expect(body.episodes.map((e) => [e.rule, e.firedAtMs - T0, e.resolvedAtMs - T0])).toEqual([
      ["p95-over-200ms", 40 * MIN, 50 * MIN],
      ["p50-vs-previous-30m", 40 * MIN, 50 * MIN],
    ]);
    const firingNow = await runTsxScript("scripts/alerts.ts", [...common.slice(0, -1), new Date(T0 + 45 * MIN).toISOString()]);
    expect(firingNow.code).toBe(1);
    expect(firingNow.stdout).toMatch(/p95-over-200ms +\* +firing/);
    const bad = await runTsxScript("scripts/alerts.ts", ["--rules", path.join(temp.dir, "missing.yaml"), "--trace-log", temp.log.file]);
    expect(bad.code).toBe(2);
  }, 60_000);
});

describe("a previous-period baseline that skips windows", () => {
  // Thirty 5-minute windows; windows 14–21 (eight of them, 70–110 min) are three times slower.
  const rule = (skip: number) => `version: 1
rules:
  - name: p50-spike
    metric: request_latency_ms
    aggregation: p50
    window: 5m
    condition:
      type: baseline
      baseline: { kind: previous_period, periods: 4, skip: ${skip} }
      test: mann_whitney
      direction: increase
      min_effect: { relative: 0.5 }
    min_samples: 5
    sustained_windows: 2
    severity: warning
    runbook: README.md#runbook-latency
`;
  let temp: ReturnType<typeof openTempTraceLog>;
  let history: RequestHistory;

  beforeAll(async () => {
    temp = openTempTraceLog();
    const { tracer, provider } = tracerInto(temp.log);
    for (let window = 0; window < 30; window++) {
      const slow = window >= 14 && window <= 21;
      for (let i = 0; i < 10; i++) {
        recordRequest(tracer, { atMs: T0 + window * 5 * MIN + i * 20_000, latencyMs: (100 + i * 3) * (slow ? 3 : 1) });
      }
    }
    await provider.forceFlush();
    history = new RequestHistory(await readRequests(new TraceLogReader(temp.log), T0 - 60 * MIN, T0 + 160 * MIN));
  });
  afterAll(() => temp.remove());

  const episodes = (skip: number) =>
    firingEpisodes([replayRule(parseAlertRules(rule(skip), "test.yaml")[0]!, history, T0, T0 + 150 * MIN)]).map((e) => [
      (e.firedAtMs - T0) / MIN,
      e.resolvedAtMs === undefined ? undefined : (e.resolvedAtMs - T0) / MIN,
    ]);

  it("without a skip, a lasting regression becomes its own baseline and resolves while it runs", () => {
    const [first] = episodes(0);
    expect(first?.[0]).toBe(80);
    expect(first?.[1]).toBeLessThan(110); // the slow windows end at 110 min
  });

  it("skipping as many windows as the regression lasts keeps it firing until it ends", () => {
    expect(episodes(8)).toEqual([[80, 115]]);
  });
});
