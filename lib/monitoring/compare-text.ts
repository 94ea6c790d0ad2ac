import { textTable } from "../text/text-table";
import {
  formatDelta,
  formatInterval,
  formatP,
  formatRelative,
  formatValue,
  metricLabel,
  MISSING,
  STATUS_LABEL,
  verdictLine,
} from "./compare-format";
import type { VersionComparison } from "./version-compare";

/** The terminal report of `npm run compare`: sides, metrics, rules, route mix, changed traces, verdict. */

const at = (ms: number | undefined) => (ms === undefined ? MISSING : new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z"));

export function formatComparisonText(c: VersionComparison, traceUrl?: (traceId: string) => string | undefined): string {
  const sides = [c.before, c.after].map(
    (s, i) => `${i === 0 ? "before" : "after "}: ${s.label} — ${s.requests} requests, ${at(s.fromMs)} .. ${at(s.toMs)}`,
  );
  const metrics = textTable(
    ["metric", "n before", "before", "n after", "after", "delta", "rel", "95% CI", "test", "p", "sig"],
    c.metrics.map((m) => [
      metricLabel(m),
      String(m.before.n),
      formatValue(m.unit, m.before.value),
      String(m.after.n),
      formatValue(m.unit, m.after.value),
      formatDelta(m.unit, m.delta),
      formatRelative(m.relative),
      formatInterval(m),
      m.test ?? MISSING,
      formatP(m.pValue),
      m.significant ? "*" : "",
    ]),
    new Set([1, 2, 3, 4, 5, 6, 9]),
  );
  const rules = textTable(
    ["rule", "metric", "group", "before", "after", "p (one-sided)", "verdict", "detail"],
    c.rules.map((r) => [
      r.rule,
      `${r.metric} ${r.aggregation}`,
      r.group,
      r.before === undefined ? MISSING : String(Number(r.before.toPrecision(4))),
      r.after === undefined ? MISSING : String(Number(r.after.toPrecision(4))),
      formatP(r.pValue),
      STATUS_LABEL[r.status],
      r.detail,
    ]),
  );
  const routes = textTable(
    ["route", "before", "after"],
    c.routes.routes.map((r) => [
      r.route,
      `${r.before} (${(r.beforeShare * 100).toFixed(1)} %)`,
      `${r.after} (${(r.afterShare * 100).toFixed(1)} %)`,
    ]),
  );
  const changed = textTable(
    ["trace", "route", "latency", "tokens", "moved", "link"],
    c.changed.map((t) => [
      t.traceId,
      t.route,
      formatValue("ms", t.latencyMs),
      t.tokens === undefined ? MISSING : String(t.tokens),
      t.measure === "error" ? "failed" : `${t.measure} ×${t.ratio.toFixed(2)}`,
      traceUrl?.(t.traceId) ?? "",
    ]),
  );
  return [
    ...sides,
    "",
    `Metrics (two-sided tests, * = p < ${c.alpha}):`,
    metrics,
    "",
    "Alert rules (the deploy verdict: the rule's bad direction, one-sided):",
    rules,
    "",
    `Route mix: chi-square ${c.routes.statistic.toFixed(2)}, df ${c.routes.degreesOfFreedom}, p ${formatP(c.routes.pValue)}${c.routes.significant ? " (shifted)" : ""}`,
    routes,
    "",
    "Traces that moved most (after, against the before median of their route):",
    c.changed.length > 0 ? changed : "  none",
    "",
    verdictLine(c),
  ].join("\n");
}
