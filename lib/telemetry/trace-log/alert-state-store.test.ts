import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runTsxScript } from "@/test-support/process/run-tsx-script";
import { makeTempDir } from "@/test-support/trace-log/recorded-traces";
import type { AlertStateRecord, AlertTransitionRecord } from "./alert-state-store";
import { TraceLog } from "./trace-log";

const AT = Date.parse("2026-03-02T10:40:00Z");

const pending: AlertStateRecord = {
  rule: "p95-latency-spike",
  groupKey: "route=kb",
  status: "pending",
  level: "alert",
  sinceMs: AT - 300_000,
  breachWindows: 1,
  lastEvalMs: AT - 300_000,
  lastNotifiedMs: null,
  lastValue: 850,
  version: 0,
};
const firing = (version: number): AlertStateRecord => ({
  ...pending,
  status: "firing",
  sinceMs: AT,
  breachWindows: 2,
  lastEvalMs: AT,
  lastNotifiedMs: AT,
  version,
});
const toFiring: AlertTransitionRecord = {
  rule: pending.rule,
  groupKey: pending.groupKey,
  from: "pending",
  to: "firing",
  kind: "status",
  level: "alert",
  atMs: AT,
  value: 900,
  detail: "900 vs baseline 400, mann_whitney p=0.0001",
  notify: true,
};

describe("alert state in the trace log", () => {
  let temp: ReturnType<typeof makeTempDir>;
  let file: string;
  beforeEach(() => {
    temp = makeTempDir();
    file = path.join(temp.dir, "traces.sqlite");
  });
  afterEach(() => temp.remove());

  it("survives closing and reopening the file", () => {
    const log = new TraceLog(file);
    expect(log.alerts.save(pending)).toBe(true);
    expect(log.alerts.claimTransition(toFiring, firing(1))).toBe(true);
    log.close();
    const reopened = new TraceLog(file);
    expect(reopened.alerts.states()).toEqual([{ ...firing(1), version: 2 }]);
    expect(reopened.alerts.transitions()).toEqual([toFiring]);
    reopened.close();
  });

  it("is a compare-and-set: a write from a stale version loses", () => {
    const a = new TraceLog(file);
    const b = new TraceLog(file);
    expect(a.alerts.save(pending)).toBe(true);
    // Both read version 1, both try to move it: the second connection finds version 2.
    expect(a.alerts.claimTransition(toFiring, firing(1))).toBe(true);
    expect(b.alerts.claimTransition(toFiring, firing(1))).toBe(false);
    expect(b.alerts.save({ ...pending, version: 1 })).toBe(false);
    // A state rebuilt from nothing cannot claim a transition recorded before, and nothing of it is written.
    b.alerts.states();
    expect(b.alerts.claimTransition(toFiring, { ...firing(0), groupKey: "route=kb" })).toBe(false);
    expect(b.alerts.transitions()).toHaveLength(1);
    a.close();
    b.close();
  });

  it("lets exactly one of several processes claim the same transition", async () => {
    new TraceLog(file).close();
    const worker = path.join(temp.dir, "claim-worker.ts");
    const traceLogModule = path.resolve("lib/telemetry/trace-log/trace-log.ts");
    fs.writeFileSync(
      worker,
      `import { TraceLog } from ${JSON.stringify(traceLogModule)};
const [file, startAt, transition, next] = process.argv.slice(2);
const log = new TraceLog(file!);
while (Date.now() < Number(startAt)) {}
process.stdout.write(String(log.alerts.claimTransition(JSON.parse(transition!), JSON.parse(next!))));
log.close();
`,
    );
    const startAt = String(Date.now() + 2_500);
    const runs = await Promise.all(
      Array.from({ length: 4 }, () => runTsxScript(worker, [file, startAt, JSON.stringify(toFiring), JSON.stringify(firing(0))])),
    );
    expect(runs.map((r) => r.stderr)).toEqual(["", "", "", ""]);
    expect(runs.map((r) => r.stdout).sort()).toEqual(["false", "false", "false", "true"]);
    const log = new TraceLog(file);
    expect(log.alerts.transitions()).toHaveLength(1);
    log.close();
  }, 30_000);
});
