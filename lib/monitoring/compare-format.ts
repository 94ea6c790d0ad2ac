import type { MetricComparison } from "./compare-metrics";
import type { RuleVerdictStatus } from "./compare-rules";
import type { VersionComparison } from "./version-compare";

/** How the compare reports (terminal and HTML) write values: one place, so both say the same. */

export const MISSING = "–";

/** A value in its metric's unit: `812 ms`, `4.2 %`, `$0.00123`, `351`. */
export function formatValue(unit: string, value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return MISSING;
  if (unit === "ratio") return `${(value * 100).toFixed(1)} %`;
  if (unit === "ms") return `${value.toFixed(0)} ms`;
  if (unit === "USD") return `$${value === 0 ? "0" : value.toPrecision(3)}`;
  return Math.abs(value) >= 100 ? value.toFixed(0) : Number(value.toPrecision(3)).toString();
}

/** A delta: signed, in the unit (ratios in percentage points). */
export function formatDelta(unit: string, delta: number | undefined): string {
  if (delta === undefined || !Number.isFinite(delta)) return MISSING;
  const sign = delta > 0 ? "+" : delta < 0 ? "−" : "±";
  if (unit === "ratio") return `${sign}${Math.abs(delta * 100).toFixed(1)} pp`;
  return `${sign}${formatValue(unit, Math.abs(delta))}`;
}

export function formatRelative(relative: number | undefined): string {
  return relative === undefined || !Number.isFinite(relative) ? "" : `${relative >= 0 ? "+" : "−"}${Math.abs(relative * 100).toFixed(0)} %`;
}

export function formatInterval(row: MetricComparison): string {
  if (!row.interval || !Number.isFinite(row.interval.low)) return MISSING;
  const v = (x: number) => (row.unit === "ratio" ? `${(x * 100).toFixed(1)}` : formatValue(row.unit, x).replace(/ ms$/, ""));
  return `[${v(row.interval.low)}, ${v(row.interval.high)}]${row.unit === "ratio" ? " pp" : row.unit === "ms" ? " ms" : ""}`;
}

export function formatP(p: number | undefined): string {
  if (p === undefined) return MISSING;
  return p < 0.0001 ? "<0.0001" : p.toFixed(4);
}

export const STATUS_LABEL: Record<RuleVerdictStatus, string> = {
  regression: "REGRESSION",
  warning: "warning",
  ok: "ok",
  insufficient_data: "too few samples",
  not_compared: "not compared",
};

export function verdictLine(c: VersionComparison): string {
  const regressions = c.rules.filter((r) => r.status === "regression");
  if (regressions.length > 0) {
    const names = [...new Set(regressions.map((r) => r.rule))].join(", ");
    return `REGRESSION: ${regressions.length} rule check(s) moved significantly the wrong way (${names})`;
  }
  const warnings = c.rules.filter((r) => r.status === "warning").length;
  return `NO REGRESSION: no alert rule's metric moved significantly the wrong way${warnings > 0 ? ` (${warnings} warning(s))` : ""}`;
}

export const metricLabel = (row: Pick<MetricComparison, "metric" | "aggregation">) => `${row.metric} ${row.aggregation}`;
