import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TraceLog } from "@/lib/telemetry/trace-log/trace-log";
import { TraceLogReader } from "@/lib/telemetry/trace-log/trace-reader";
import { recordRequest, tracerInto } from "@/test-support/monitoring/request-traces";
import { makeTempDir } from "@/test-support/trace-log/recorded-traces";
import { startAlertScheduler } from "./alert-scheduler";

const T0 = Date.parse("2026-03-02T10:00:00Z");
const MIN = 60_000;
const RULES = `version: 1
rules:
  - name: slow
    metric: request_latency_ms
    aggregation: p95
    window: 5m
    condition: { type: threshold, direction: above, alert: 200 }
    severity: warning
    runbook: README.md#runbook-latency
`;

describe("the in-server alert evaluator", () => {
  let temp: ReturnType<typeof makeTempDir>;
  let logFile: string;
  let rulesFile: string;
  const opened: TraceLog[] = [];
  const open = () => {
    const log = new TraceLog(logFile);
    opened.push(log);
    return log;
  };
  const scheduler = (log: TraceLog, now: number, notified: string[], warnings: string[] = []) =>
    startAlertScheduler({
      rulesPath: rulesFile,
      intervalMs: 3_600_000,
      reader: new TraceLogReader(log),
      store: log.alerts,
      now: () => now,
      notify: (t) => notified.push(`${t.rule} ${t.to}`),
      warn: (m) => warnings.push(m),
    });

  beforeEach(async () => {
    temp = makeTempDir();
    logFile = path.join(temp.dir, "traces.sqlite");
    rulesFile = path.join(temp.dir, "alerts.yaml");
    fs.writeFileSync(rulesFile, RULES);
    const log = open();
    const { tracer, provider } = tracerInto(log);
    // Slow requests in the window 10:00–10:05, fast ones in 10:05–10:10.
    for (let i = 0; i < 5; i++) recordRequest(tracer, { atMs: T0 + i * MIN, latencyMs: 500 });
    for (let i = 0; i < 5; i++) recordRequest(tracer, { atMs: T0 + (5 + i) * MIN, latencyMs: 100 });
    await provider.forceFlush();
  });
  afterEach(() => {
    for (const log of opened.splice(0)) log.close();
    temp.remove();
  });

  it("notifies each transition once across two processes' evaluators and across a restart", async () => {
    const notified: string[] = [];
    const first = scheduler(open(), T0 + 5 * MIN + 1_000, notified);
    const second = scheduler(open(), T0 + 5 * MIN + 1_000, notified);
    const claims = await Promise.all([first.tick(), second.tick()]);
    expect(claims.map((c) => c.length).sort()).toEqual([0, 1]);
    expect(notified).toEqual(["slow firing"]);
    // A restart in the same window: the state is read back and the window is not evaluated again.
    const restarted = scheduler(open(), T0 + 9 * MIN, notified);
    expect(await restarted.tick()).toEqual([]);
    expect(open().alerts.states()).toMatchObject([{ rule: "slow", status: "firing", lastEvalMs: T0 + 5 * MIN }]);
    // The next window is fast: resolved, once.
    await Promise.all([scheduler(open(), T0 + 10 * MIN, notified).tick(), scheduler(open(), T0 + 10 * MIN, notified).tick()]);
    expect(notified).toEqual(["slow firing", "slow resolved"]);
    for (const s of [first, second, restarted]) s.stop();
  });

  it("stops with the file and line of a malformed rules file, never throwing", async () => {
    fs.writeFileSync(rulesFile, RULES.replace("window: 5m", "window: soon"));
    const warnings: string[] = [];
    const s = scheduler(open(), T0 + 5 * MIN, [], warnings);
    expect(await s.tick()).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^\[alerts\] evaluator not started: invalid alert rules:\n.*alerts\.yaml:6 rule "slow": field window: must be a duration/,
    );
  });

  it("reports a failing evaluation as a warning and goes on", async () => {
    const log = open();
    const warnings: string[] = [];
    const s = startAlertScheduler({
      rulesPath: rulesFile,
      intervalMs: 3_600_000,
      // A reader without the window read, whose listing fails.
      reader: {
        rootSpans: () => Promise.reject(new Error("disk gone")),
        trace: () => Promise.resolve([]),
        judgements: () => Promise.resolve([]),
      },
      store: log.alerts,
      now: () => T0 + 5 * MIN,
      warn: (m) => warnings.push(m),
    });
    expect(await s.tick()).toEqual([]);
    expect(warnings).toEqual(["[alerts] evaluation failed (retried next interval): disk gone"]);
    s.stop();
  });
});
