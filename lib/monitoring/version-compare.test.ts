import path from "node:path";
import { describe, expect, it } from "vitest";
import { TraceLogReader } from "@/lib/telemetry/trace-log/trace-reader";
import { writeSyntheticRequests } from "@/test-support/monitoring/synthetic-requests";
import { useTempTraceLog } from "@/test-support/trace-log/recorded-traces";
import { formatComparisonText } from "./compare-text";
import { renderComparisonHtml } from "./compare-html";
import { parseCompareSelector, selectRequests } from "./compare-selectors";
import { loadAlertRules } from "./load-alert-rules";
import { readRequests } from "./read-requests";
import { compareVersions } from "./version-compare";

const RULES = loadAlertRules(path.resolve("test-support/monitoring/compare-rules.yaml"));
const HOUR = 3_600_000;

describe("compareVersions on a synthetic trace log", { timeout: 30_000 }, () => {
  const temp = useTempTraceLog();
  const start = Date.now() - 3 * HOUR;

  async function compare(after: { latencyFactor?: number; tokenFactor?: number; seed: number }) {
    await writeSyntheticRequests(temp.log, { appVersion: "1.0.0", count: 240, startMs: start, spacingMs: 10_000, seed: 1 });
    await writeSyntheticRequests(temp.log, { appVersion: "1.1.0", count: 240, startMs: start + HOUR, spacingMs: 10_000, ...after });
    const requests = await readRequests(new TraceLogReader(temp.log), start - HOUR, Date.now());
    const now = Date.now();
    const before = selectRequests(parseCompareSelector("app:1.0.0", now, "--before"), requests);
    const later = selectRequests(parseCompareSelector("1.1.0", now, "--after"), requests);
    return compareVersions(before, later, RULES, { alpha: 0.01 });
  }

  it("finds the injected regression (latency ×2, prompt tokens ×1.5) and names the rules it breaks", async () => {
    const c = await compare({ latencyFactor: 2, tokenFactor: 1.5, seed: 2 });
    expect(c.regression).toBe(true);
    expect(c.before).toMatchObject({ label: "app 1.0.0", requests: 240 });
    expect(c.after).toMatchObject({ label: "app 1.1.0", requests: 240 });
    const status = (rule: string) => c.rules.find((r) => r.rule === rule)?.status;
    expect(status("p95-latency")).toBe("regression");
    expect(status("prompt-tokens")).toBe("regression");
    expect(status("error-rate")).toBe("ok");
    expect(status("request-volume")).toBe("not_compared");
    const p95 = c.metrics.find((m) => m.metric === "request_latency_ms" && m.aggregation === "p95")!;
    expect(p95).toMatchObject({ test: "bootstrap", significant: true });
    expect(p95.interval!.low).toBeGreaterThan(0);
    expect(p95.relative).toBeGreaterThan(0.6);
    // The same traffic mix on both sides: the route mix did not move.
    expect(c.routes.significant).toBe(false);
    expect(c.changed.length).toBe(10);
    expect(c.changed.every((t) => t.ratio > 1)).toBe(true);
  });

  it("finds none between two versions that behave the same", async () => {
    const c = await compare({ seed: 3 });
    expect(c.regression).toBe(false);
    expect(c.rules.filter((r) => r.status === "regression")).toEqual([]);
    expect(c.metrics.find((m) => m.metric === "request_latency_ms" && m.aggregation === "p50")?.significant).toBe(false);
  });

  it("reports in the terminal and as one self-contained HTML file with escaped labels", async () => {
    const c = await compare({ latencyFactor: 2, seed: 2 });
    const text = formatComparisonText(c, (id) => `http://phoenix.test/redirects/traces/${id}`);
    expect(text).toMatch(/^REGRESSION: .*p95-latency/m);
    expect(text).toContain("request_latency_ms p95");
    expect(text).toContain("http://phoenix.test/redirects/traces/");
    const html = renderComparisonHtml({ ...c, after: { ...c.after, label: "<script>x</script>" } }, (id) => `javascript:alert('${id}')`);
    expect(html).toContain('<span class="verdict fail">REGRESSION</span>');
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("javascript:");
    expect(html).toContain("Content-Security-Policy");
  });
});

describe("parseCompareSelector", () => {
  const now = Date.parse("2026-12-05T12:00:00Z");

  it("reads versions and time ranges", () => {
    expect(parseCompareSelector("prompt:prompts-1a", now, "--before")).toEqual({
      kind: "version",
      dimension: "prompt_version",
      value: "prompts-1a",
    });
    expect(parseCompareSelector("0.2.0", now, "--before")).toEqual({ kind: "version", dimension: "either", value: "0.2.0" });
    expect(parseCompareSelector("2d..1d", now, "--before")).toEqual({
      kind: "range",
      fromMs: now - 2 * 86_400_000,
      toMs: now - 86_400_000,
    });
    expect(parseCompareSelector("2026-12-05T10:00:00Z..now", now, "--after")).toEqual({ kind: "range", fromMs: now - 2 * HOUR, toMs: now });
  });

  it("refuses a backwards or unreadable range, naming the flag", () => {
    expect(() => parseCompareSelector("1d..2d", now, "--after")).toThrow(/--after: the range 1d..2d ends before it starts/);
    expect(() => parseCompareSelector("yesterday..now", now, "--before")).toThrow(/--before: "yesterday"/);
  });
});
