import type { ExampleResult, Regression, ScoredMetric } from "../runner/types";
import { failedMetricsOf, formatCost, formatDuration, formatScore, isFailingScore, MISSING, needsAttention } from "./format";
import { escapeHtml, safeLink } from "@/lib/report/html-escape";

/** One example's section of the HTML report: what was asked, answered, retrieved and scored. */

function listOrMissing(items: readonly string[] | undefined, render: (item: string) => string): string {
  if (items === undefined || items.length === 0) return `<span class="muted">${MISSING}</span>`;
  return `<ul>${items.map((item) => `<li>${render(item)}</li>`).join("")}</ul>`;
}

function routeLine(example: ExampleResult): string {
  const actual = example.route ?? MISSING;
  const expected = example.expected.route;
  if (expected === undefined) return `<b>route</b> ${escapeHtml(actual)}`;
  const badge = example.route === expected ? `<span class="badge pass">match</span>` : `<span class="badge fail">mismatch</span>`;
  return `<b>route</b> ${escapeHtml(actual)} <span class="muted">(expected ${escapeHtml(expected)})</span> ${badge}`;
}

function traceLine(example: ExampleResult): string {
  if (example.traceUrl !== undefined) {
    const link = safeLink(example.traceUrl, "View trace");
    // A non-http(s) URL is shown as text, never as a link.
    return link.startsWith("<a ") ? link : `trace URL (not a link): <code>${escapeHtml(example.traceUrl)}</code>`;
  }
  if (example.traceId !== undefined) return `trace <code>${escapeHtml(example.traceId)}</code>`;
  return `<span class="muted">no trace</span>`;
}

function sourcesTable(example: ExampleResult): string {
  if (example.sources.length === 0) return `<p class="muted">No documents retrieved.</p>`;
  const expected = new Set(example.expected.docIds ?? []);
  const rows = example.sources.map((s, i) => {
    const hit = expected.has(s.docId) ? ` <span class="hit" title="an expected document">✓ expected</span>` : "";
    return `<tr><td class="num">${i + 1}</td><td><code>${escapeHtml(s.docId)}</code>${hit}<br><span class="muted">${escapeHtml(s.id)}</span></td><td>${escapeHtml(s.title)}</td><td class="num">${escapeHtml(formatScore(s.score))}</td></tr>`;
  });
  return `<table><thead><tr><th>#</th><th>doc id / chunk</th><th>title</th><th>score</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function scoreBadge(score: ScoredMetric): string {
  if (score.error !== undefined) return `<span class="badge none">ERROR</span>`;
  return isFailingScore(score) ? `<span class="badge fail">FAIL</span>` : `<span class="badge pass">PASS</span>`;
}

function detailsText(details: ScoredMetric["details"]): string {
  if (details === undefined) return "";
  const pairs = Object.entries(details).map(([key, value]) => `${escapeHtml(key)}=${escapeHtml(value)}`);
  return pairs.length > 0 ? `<br><span class="muted">${pairs.join(", ")}</span>` : "";
}

function scoresTable(example: ExampleResult, regressed: ReadonlySet<string>): string {
  const entries = Object.entries(example.scores);
  if (entries.length === 0) return `<p class="muted">No metric applied to this example.</p>`;
  const rows = entries.map(([metric, score]) => {
    const rowClass = isFailingScore(score) || score.error !== undefined ? ` class="fail"` : "";
    const regression = regressed.has(metric) ? ` <span class="badge fail">regressed</span>` : "";
    const error = score.error !== undefined ? `<br><b>${escapeHtml(score.error.code)}</b>: ${escapeHtml(score.error.message)}` : "";
    return `<tr${rowClass}><td><code>${escapeHtml(metric)}</code>${regression}</td><td>${escapeHtml(score.kind)}</td><td class="num">${escapeHtml(formatScore(score.score))}</td><td>${scoreBadge(score)} <code>${escapeHtml(score.label)}</code></td><td>${escapeHtml(score.explanation)}${error}${detailsText(score.details)}</td></tr>`;
  });
  return `<table><thead><tr><th>metric</th><th>kind</th><th>score</th><th>verdict / label</th><th>explanation</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function expectedBlock(example: ExampleResult): string {
  const { answer, facts, docIds, tests } = example.expected;
  const parts = [
    answer !== undefined ? `<p><b>expected answer</b></p><pre>${escapeHtml(answer)}</pre>` : "",
    `<p><b>expected facts</b></p>${listOrMissing(facts, escapeHtml)}`,
    `<p><b>expected docs</b></p>${listOrMissing(docIds, (id) => `<code>${escapeHtml(id)}</code>`)}`,
    tests !== undefined && tests.length > 0 ? `<p><b>tests</b></p>${listOrMissing(tests, (t) => `<code>${escapeHtml(t)}</code>`)}` : "",
  ];
  return parts.join("");
}

/**
 * `regressions` are this example's pass → fail metrics. The section's id is the example id so
 * the regression list (and anyone with the file) can link straight to it.
 */
export function renderExampleSection(example: ExampleResult, regressions: readonly Regression[]): string {
  const attention = needsAttention(example);
  const failed = failedMetricsOf(example);
  const marker =
    example.error !== undefined
      ? `<span class="badge fail">BROKEN RUN</span>`
      : failed.length > 0
        ? `<span class="badge fail">FAIL</span> <span class="muted">${escapeHtml(failed.join(", "))}</span>`
        : `<span class="badge pass">PASS</span>`;
  const error =
    example.error !== undefined
      ? `<p><b>run error</b> <code>${escapeHtml(example.error.code)}</code></p><pre>${escapeHtml(example.error.message)}</pre>`
      : "";
  const tags = example.tags.length > 0 ? ` · tags ${escapeHtml(example.tags.join(", "))}` : "";

  return `<section class="example${attention ? " attention" : ""}" id="${escapeHtml(example.exampleId)}">
<h3>${marker} <code>${escapeHtml(example.exampleId)}</code></h3>
<p class="meta">dataset ${escapeHtml(example.dataset)}${tags} · latency ${escapeHtml(formatDuration(example.latencyMs))} · cost ${escapeHtml(formatCost(example.costUsd))} · ${traceLine(example)}</p>
${error}<p><b>input</b></p><pre>${escapeHtml(example.input)}</pre>
<p><b>answer</b></p><pre>${example.answer === "" ? `<span class="muted">(empty)</span>` : escapeHtml(example.answer)}</pre>
<p>${routeLine(example)}</p>
<h4>Scores</h4>
${scoresTable(example, new Set(regressions.map((r) => r.metric)))}
<details${example.sources.length > 0 && attention ? " open" : ""}><summary>Retrieved documents (${example.sources.length})</summary>${sourcesTable(example)}</details>
<details><summary>Expected</summary>${expectedBlock(example)}</details>
</section>`;
}
