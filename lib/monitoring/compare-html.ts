import { escapeHtml, safeLink } from "../report/html-escape";
import { reportPageStart } from "../report/html-page";
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

/**
 * The HTML report of `npm run compare`, in the eval report's style and with its guarantees: one
 * self-contained file (inline CSS, no scripts, no remote loads, a CSP saying so), every value
 * escaped, and only http(s) trace links.
 */

const td = (text: string, num = false) => `<td${num ? ` class="num"` : ""}>${escapeHtml(text)}</td>`;
const at = (ms: number | undefined) => (ms === undefined ? MISSING : new Date(ms).toISOString());

function header(c: VersionComparison): string {
  const side = (name: string, s: VersionComparison["before"]) =>
    `<dt>${name}</dt><dd>${escapeHtml(`${s.label}: ${s.requests} requests, ${at(s.fromMs)} .. ${at(s.toMs)}`)}</dd>`;
  return `<header>
<h1>Version comparison <span class="verdict ${c.regression ? "fail" : "pass"}">${c.regression ? "REGRESSION" : "NO REGRESSION"}</span></h1>
<p>${escapeHtml(verdictLine(c))}</p>
<dl class="settings">${side("before", c.before)}${side("after", c.after)}<dt>alpha</dt><dd>${escapeHtml(c.alpha)}</dd></dl>
</header>`;
}

function metricsSection(c: VersionComparison): string {
  const rows = c.metrics.map(
    (m) =>
      `<tr${m.significant ? ` class="fail"` : ""}><td><code>${escapeHtml(metricLabel(m))}</code></td>${td(String(m.before.n), true)}${td(formatValue(m.unit, m.before.value), true)}${td(String(m.after.n), true)}${td(formatValue(m.unit, m.after.value), true)}${td(`${formatDelta(m.unit, m.delta)} ${formatRelative(m.relative)}`, true)}${td(formatInterval(m), true)}${td(m.test ?? MISSING)}${td(formatP(m.pValue), true)}</tr>`,
  );
  return `<h2>Metrics</h2>
<p class="muted">Two-sided tests; highlighted rows have p &lt; ${escapeHtml(c.alpha)}. Rates: two-proportion z and Newcombe's interval; quantiles: bootstrap; means: Mann–Whitney U with a bootstrap interval.</p>
<table><thead><tr><th>metric</th><th>n before</th><th>before</th><th>n after</th><th>after</th><th>delta</th><th>95% CI</th><th>test</th><th>p</th></tr></thead>
<tbody>${rows.join("\n")}</tbody></table>`;
}

function rulesSection(c: VersionComparison): string {
  const badge = (status: keyof typeof STATUS_LABEL) => (status === "regression" ? "fail" : status === "ok" ? "pass" : "none");
  const rows = c.rules.map(
    (r) =>
      `<tr${r.status === "regression" ? ` class="fail"` : ""}><td><code>${escapeHtml(r.rule)}</code></td>${td(`${r.metric} ${r.aggregation}`)}${td(r.group)}${td(formatP(r.pValue), true)}<td><span class="badge ${badge(r.status)}">${escapeHtml(STATUS_LABEL[r.status])}</span></td>${td(r.detail)}</tr>`,
  );
  return `<h2>Alert rules: the deploy verdict</h2>
<p class="muted">Each rule's own condition, with the before side as its baseline; a regression is a significant move in the direction the rule guards against.</p>
<table><thead><tr><th>rule</th><th>metric</th><th>group</th><th>p (one-sided)</th><th>verdict</th><th>detail</th></tr></thead>
<tbody>${rows.join("\n")}</tbody></table>`;
}

function routesSection(c: VersionComparison): string {
  const share = (n: number, s: number) => `${n} (${(s * 100).toFixed(1)} %)`;
  const rows = c.routes.routes.map(
    (r) =>
      `<tr><td><code>${escapeHtml(r.route)}</code></td>${td(share(r.before, r.beforeShare), true)}${td(share(r.after, r.afterShare), true)}</tr>`,
  );
  return `<h2>Route mix</h2>
<p>Chi-square ${escapeHtml(c.routes.statistic.toFixed(2))}, df ${c.routes.degreesOfFreedom}, p ${escapeHtml(formatP(c.routes.pValue))}${c.routes.significant ? " <strong>(shifted)</strong>" : ""}</p>
<table><thead><tr><th>route</th><th>before</th><th>after</th></tr></thead><tbody>${rows.join("\n")}</tbody></table>`;
}

function changedSection(c: VersionComparison, traceUrl?: (traceId: string) => string | undefined): string {
  if (c.changed.length === 0)
    return `<h2>Traces that moved most</h2><p class="muted">None: no after request shares a route with the before side.</p>`;
  const rows = c.changed.map(
    (t) =>
      `<tr><td>${safeLink(traceUrl?.(t.traceId), t.traceId)}</td>${td(t.route)}${td(at(t.startMs))}${td(formatValue("ms", t.latencyMs), true)}${td(t.tokens === undefined ? MISSING : String(t.tokens), true)}${td(formatValue("USD", t.costUsd), true)}${td(t.measure === "error" ? "failed" : `${t.measure} ×${t.ratio.toFixed(2)}`)}</tr>`,
  );
  return `<h2>Traces that moved most</h2>
<p class="muted">After requests against the before median of their route; a failure on a route that rarely failed comes first.</p>
<table><thead><tr><th>trace</th><th>route</th><th>started</th><th>latency</th><th>tokens</th><th>cost</th><th>moved</th></tr></thead><tbody>${rows.join("\n")}</tbody></table>`;
}

export function renderComparisonHtml(c: VersionComparison, traceUrl?: (traceId: string) => string | undefined): string {
  return `${reportPageStart(`Compare ${c.regression ? "REGRESSION" : "OK"}: ${c.before.label} → ${c.after.label}`)}
${header(c)}
<main>
${rulesSection(c)}
${metricsSection(c)}
${routesSection(c)}
${changedSection(c, traceUrl)}
</main>
</body>
</html>
`;
}
