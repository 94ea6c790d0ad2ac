import { truncate } from "@/lib/text/truncate";
import type { EvalRunResult, ExampleResult, MetricSummary, ScoredMetric } from "../runner/types";
import { formatScore, isFailingScore } from "./format";

/**
 * JUnit XML for CI systems (GitHub, GitLab, Jenkins show it as test results). One testsuite a
 * metric: a testcase an example scored on it (a failure below 0.5, an error when the agent run
 * broke or the judge could not judge) plus "<metric> aggregate", which fails with the gate's
 * reason. A last suite, "agent runs", has one testcase an example so a broken run shows up even
 * when no metric scored it.
 */

export const AGENT_RUNS_SUITE = "agent runs";

/** Failure bodies carry the answer for context; long ones are cut so the XML stays readable. */
const MAX_BODY_CHARS = 2000;

/**
 * XML 1.0 allows only tab, LF, CR and the ranges below; anything else (NUL, ESC, lone
 * surrogates, U+FFFE) makes the whole file unparsable, so it is dropped.
 */
const ILLEGAL_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function stripIllegalXmlChars(text: string): string {
  return text.replace(ILLEGAL_XML_CHARS, "");
}

/** Element text. */
export function escapeXmlText(text: string): string {
  return stripIllegalXmlChars(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A double-quoted attribute value; tab/LF/CR as references, or parsers fold them into spaces. */
export function escapeXmlAttr(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\t/g, "&#9;")
    .replace(/\n/g, "&#10;")
    .replace(/\r/g, "&#13;");
}

function seconds(ms: number): string {
  return Number.isFinite(ms) && ms > 0 ? (ms / 1000).toFixed(3) : "0.000";
}

/** Cut to MAX_BODY_CHARS, saying how much was cut: a CI page shows the body, the JSON report has it all. */
function clipBody(text: string): string {
  const cut = truncate(text, MAX_BODY_CHARS);
  return cut === text ? text : `${cut} (${text.length - (cut.length - 1)} more chars)`;
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key}="${escapeXmlAttr(String(value))}"`)
    .join(" ");
}

function exampleContext(example: ExampleResult): string {
  return clipBody(
    [
      `input: ${example.input}`,
      `answer: ${example.answer}`,
      example.route !== undefined
        ? `route: ${example.route}${example.expected.route !== undefined ? ` (expected ${example.expected.route})` : ""}`
        : "",
      example.traceUrl !== undefined ? `trace: ${example.traceUrl}` : example.traceId !== undefined ? `trace: ${example.traceId}` : "",
    ]
      .filter((line) => line !== "")
      .join("\n"),
  );
}

interface Testcase {
  xml: string;
  outcome: "pass" | "failure" | "error" | "skipped";
  ms: number;
}

function testcase(
  name: string,
  classname: string,
  ms: number,
  body: { tag: "failure" | "error" | "skipped"; type: string; message: string; text?: string } | undefined,
): Testcase {
  const open = `<testcase ${attrs({ name, classname, time: seconds(ms) })}`;
  if (body === undefined) return { xml: `${open}/>`, outcome: "pass", ms };
  const text = body.text !== undefined ? escapeXmlText(body.text) : "";
  const inner = `<${body.tag} ${attrs({ type: body.type, message: body.message })}${text === "" ? "/>" : `>${text}</${body.tag}>`}`;
  const outcome = body.tag === "failure" ? "failure" : body.tag === "error" ? "error" : "skipped";
  return { xml: `${open}>${inner}</testcase>`, outcome, ms };
}

function exampleTestcase(example: ExampleResult, score: ScoredMetric): Testcase {
  const context = exampleContext(example);
  if (example.error !== undefined) {
    return testcase(example.exampleId, example.dataset, example.latencyMs, {
      tag: "error",
      type: example.error.code,
      message: `agent run broke: ${example.error.message}`,
      text: context,
    });
  }
  if (score.error !== undefined) {
    return testcase(example.exampleId, example.dataset, example.latencyMs, {
      tag: "error",
      type: score.error.code,
      message: `${score.label}: ${score.error.message}`,
      text: context,
    });
  }
  if (isFailingScore(score)) {
    return testcase(example.exampleId, example.dataset, example.latencyMs, {
      tag: "failure",
      type: score.label,
      message: `score ${formatScore(score.score)} (${score.label}): ${score.explanation}`,
      text: `${score.explanation}\n\n${context}`,
    });
  }
  return testcase(example.exampleId, example.dataset, example.latencyMs, undefined);
}

function aggregateTestcase(metric: MetricSummary): Testcase {
  const name = `${metric.metric} aggregate`;
  const summary = `mean ${formatScore(metric.mean)} over ${metric.n}, threshold ${formatScore(metric.threshold)}, baseline ${formatScore(metric.baseline)}`;
  if (metric.status === "fail") {
    return testcase(name, "aggregate", 0, {
      tag: "failure",
      type: "metric_failed",
      message: metric.reason ?? "metric failed",
      text: summary,
    });
  }
  if (metric.status === "no-data") {
    return testcase(name, "aggregate", 0, {
      tag: "skipped",
      type: "no_data",
      message: metric.reason ?? "no example was scored on this metric",
    });
  }
  return testcase(name, "aggregate", 0, undefined);
}

function testsuite(name: string, timestamp: string, cases: readonly Testcase[]): { xml: string; cases: readonly Testcase[] } {
  const count = (outcome: Testcase["outcome"]) => cases.filter((c) => c.outcome === outcome).length;
  const head = attrs({
    name,
    tests: cases.length,
    failures: count("failure"),
    errors: count("error"),
    skipped: count("skipped"),
    time: seconds(cases.reduce((sum, c) => sum + c.ms, 0)),
    timestamp,
  });
  return { xml: `  <testsuite ${head}>\n${cases.map((c) => `    ${c.xml}`).join("\n")}\n  </testsuite>`, cases };
}

function agentRunsSuite(result: EvalRunResult): Testcase[] {
  return result.examples.map((example) =>
    testcase(
      example.exampleId,
      example.dataset,
      example.latencyMs,
      example.error !== undefined
        ? { tag: "error", type: example.error.code, message: example.error.message, text: exampleContext(example) }
        : undefined,
    ),
  );
}

export function renderJUnitXml(result: EvalRunResult): string {
  // JUnit's timestamp is ISO 8601 without a zone; CI readers reject "Z" more often than not.
  const timestamp = result.startedAt.replace(/Z$/, "").replace(/\.\d+$/, "");
  const suites = result.metrics.map((metric) => {
    const scored = result.examples.flatMap((example) => {
      const score = example.scores[metric.metric];
      return score !== undefined ? [exampleTestcase(example, score)] : [];
    });
    return testsuite(metric.metric, timestamp, [...scored, aggregateTestcase(metric)]);
  });
  suites.push(testsuite(AGENT_RUNS_SUITE, timestamp, agentRunsSuite(result)));

  const all = suites.flatMap((s) => s.cases);
  const root = attrs({
    name: `eval ${result.runId}`,
    tests: all.length,
    failures: all.filter((c) => c.outcome === "failure").length,
    errors: all.filter((c) => c.outcome === "error").length,
    skipped: all.filter((c) => c.outcome === "skipped").length,
    time: seconds(result.wallMs),
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ${root}>\n${suites.map((s) => s.xml).join("\n")}\n</testsuites>\n`;
}
