import { agreementLines } from "./human-agreement";
import type { EvalRunResult, MetricSummary, Regression } from "../runner/types";
import {
  examplesFailingFirst,
  formatDelta,
  formatDuration,
  formatScore,
  formatStatus,
  MISSING,
  needsAttention,
  verdictLine,
} from "./format";
import { renderExampleSection } from "./html-example";
import { escapeHtml, fragmentHref } from "@/lib/report/html-escape";
import { reportPageStart } from "@/lib/report/html-page";

/**
 * The HTML report of one `npm run eval`: one self-contained file (inline CSS, no scripts, no
 * external assets) that a CI system archives and a reviewer opens to see why the gate decided
 * what it did. Every value from the result is escaped: answers and inputs are hostile text.
 */

function header(result: EvalRunResult): string {
  const s = result.settings;
  const setting = (name: string, value: string) => `<dt>${escapeHtml(name)}</dt><dd>${escapeHtml(value)}</dd>`;
  return `<header>
<h1>Eval report <span class="verdict ${result.passed ? "pass" : "fail"}">${result.passed ? "PASSED" : "FAILED"}</span></h1>
<p>${escapeHtml(verdictLine(result))}</p>
<dl class="settings">
${setting("run id", result.runId)}
${setting("started", result.startedAt)}
${setting("wall time", formatDuration(result.wallMs))}
${setting("provider / model", `${s.provider} / ${s.model}`)}
${setting("judge", s.judge)}
${setting("datasets", s.datasets.join(", ") || MISSING)}
${setting("filter", s.filter ?? MISSING)}
${setting("limit", s.limit !== undefined ? String(s.limit) : MISSING)}
${setting("concurrency", String(s.concurrency))}
${setting("ci", s.ci ? "yes" : "no")}
</dl>
</header>`;
}

function metricRow(m: MetricSummary): string {
  const status = formatStatus(m.status);
  const badgeClass = m.status === "pass" ? "pass" : m.status === "fail" ? "fail" : "none";
  const reason = m.reason ?? (m.status === "no-data" ? "no example was scored on this metric" : "");
  const tolerance = m.tolerance !== undefined ? ` <span class="muted">(tol ${escapeHtml(formatScore(m.tolerance))})</span>` : "";
  return `<tr${m.status === "fail" ? ` class="fail"` : ""}><td><code>${escapeHtml(m.metric)}</code></td><td>${escapeHtml(m.kind)}</td><td class="num">${m.n}</td><td class="num">${m.errors}</td><td class="num">${escapeHtml(m.n > 0 ? formatScore(m.mean) : MISSING)}</td><td class="num">${escapeHtml(formatScore(m.dev?.mean))}</td><td class="num">${escapeHtml(formatScore(m.test?.mean))}</td><td class="num">${escapeHtml(formatScore(m.threshold))}</td><td class="num">${escapeHtml(formatScore(m.baseline))}</td><td class="num">${escapeHtml(formatDelta(m.delta))}${tolerance}</td><td><span class="badge ${badgeClass}">${escapeHtml(status)}</span></td><td>${escapeHtml(reason)}</td></tr>`;
}

function metricsSection(result: EvalRunResult): string {
  if (result.metrics.length === 0) return `<h2>Metrics</h2><p class="muted">No metrics: nothing was scored.</p>`;
  return `<h2>Metrics</h2>
<table><thead><tr><th>metric</th><th>kind</th><th>n</th><th>errors</th><th>score</th><th>dev</th><th>test</th><th>threshold</th><th>baseline</th><th>delta</th><th>status</th><th>reason</th></tr></thead>
<tbody>${result.metrics.map(metricRow).join("\n")}</tbody></table>`;
}

function regressionsSection(result: EvalRunResult): string {
  const title = `<h2>Regressions (pass → fail vs baseline): ${result.regressions.length}</h2>`;
  if (result.regressions.length === 0) return `${title}<p class="muted">No example went from pass to fail.</p>`;
  const known = new Set(result.examples.map((e) => e.exampleId));
  const items = result.regressions.map((r) => {
    const id = `<code>${escapeHtml(r.exampleId)}</code>`;
    // Link only to sections that exist (a filtered run may not include the example).
    const target = known.has(r.exampleId) ? `<a href="${fragmentHref(r.exampleId)}">${id}</a>` : id;
    return `<li>${target} <code>${escapeHtml(r.metric)}</code> ${escapeHtml(formatScore(r.baselineScore))} → ${escapeHtml(formatScore(r.score))}</li>`;
  });
  return `${title}<ul>${items.join("\n")}</ul>`;
}

function agreementSection(result: EvalRunResult): string {
  if (!result.agreement || result.agreement.length === 0) return "";
  const items = agreementLines(result.agreement).map((line) => `<li>${escapeHtml(line)}</li>`);
  return `<h2>Agreement with people (production items, Cohen's kappa)</h2>
<p class="muted">Reviewers: the answer states the facts the reviewer wrote when accepting the item. Users: the 👍/👎 on the same answer, where this trace log has it.</p>
<ul>${items.join("\n")}</ul>`;
}

function examplesSection(result: EvalRunResult): string {
  const byExample = new Map<string, Regression[]>();
  for (const r of result.regressions) byExample.set(r.exampleId, [...(byExample.get(r.exampleId) ?? []), r]);
  const attention = result.examples.filter(needsAttention).length;
  const sections = examplesFailingFirst(result.examples).map((e) => renderExampleSection(e, byExample.get(e.exampleId) ?? []));
  return `<h2>Examples: ${result.examples.length} (${attention} need attention, listed first)</h2>
<input type="checkbox" id="only-attention"> <label for="only-attention">Show only examples that failed a metric (score &lt; 0.5) or broke</label>
<div class="examples">
${sections.join("\n")}
</div>`;
}

export function renderHtmlReport(result: EvalRunResult): string {
  return `${reportPageStart(`Eval ${result.passed ? "PASSED" : "FAILED"}: ${result.runId}`)}
${header(result)}
<main>
${metricsSection(result)}
${regressionsSection(result)}
${agreementSection(result)}
${examplesSection(result)}
</main>
</body>
</html>
`;
}
