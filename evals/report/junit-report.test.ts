import { describe, expect, it } from "vitest";
import { AGENT_RUNS_SUITE, escapeXmlAttr, escapeXmlText, renderJUnitXml } from "./junit-report";
import { HOSTILE_ANSWER, HOSTILE_INPUT, makeEvalResult } from "@/test-support/evals/eval-run-result";
import { parseXml, type XmlElement } from "@/test-support/evals/parse-xml";

function suiteNamed(root: XmlElement, name: string): XmlElement {
  const suite = root.children.find((s) => s.attrs.name === name);
  if (suite === undefined) throw new Error(`no testsuite ${name}`);
  return suite;
}

function caseNamed(suite: XmlElement, name: string): XmlElement {
  const testcase = suite.children.find((c) => c.attrs.name === name);
  if (testcase === undefined) throw new Error(`no testcase ${name} in ${suite.attrs.name}`);
  return testcase;
}

function counts(suite: XmlElement): Record<string, string | undefined> {
  const { tests, failures, errors, skipped } = suite.attrs;
  return { tests, failures, errors, skipped };
}

describe("renderJUnitXml", () => {
  const result = makeEvalResult();
  const xml = renderJUnitXml(result);
  const root = parseXml(xml);

  it("is well-formed XML with one testsuite per metric plus the agent runs", () => {
    expect(root.name).toBe("testsuites");
    expect(root.children.map((s) => s.name)).toEqual(Array(5).fill("testsuite"));
    expect(root.children.map((s) => s.attrs.name)).toEqual([
      "qa.facts",
      "retrieval.ndcg@4",
      "hallucination.judge",
      "code.correctness",
      AGENT_RUNS_SUITE,
    ]);
  });

  it("counts failures, errors and skips per suite and in total", () => {
    // manual-001 passes, manual-002 fails (score 0), synthetic-003's run broke, the aggregate fails.
    expect(counts(suiteNamed(root, "qa.facts"))).toEqual({ tests: "4", failures: "2", errors: "1", skipped: "0" });
    expect(counts(suiteNamed(root, "retrieval.ndcg@4"))).toEqual({ tests: "3", failures: "0", errors: "0", skipped: "0" });
    // A judge error is an error, not a failure.
    expect(counts(suiteNamed(root, "hallucination.judge"))).toEqual({ tests: "3", failures: "0", errors: "1", skipped: "0" });
    expect(counts(suiteNamed(root, "code.correctness"))).toEqual({ tests: "1", failures: "0", errors: "0", skipped: "1" });
    expect(counts(suiteNamed(root, AGENT_RUNS_SUITE))).toEqual({ tests: "3", failures: "0", errors: "1", skipped: "0" });
    expect(counts(root)).toEqual({ tests: "14", failures: "2", errors: "3", skipped: "1" });
    // The counts match the elements actually there.
    const all = root.children.flatMap((s) => s.children);
    expect(all.filter((c) => c.children.some((x) => x.name === "failure"))).toHaveLength(2);
    expect(all.filter((c) => c.children.some((x) => x.name === "error"))).toHaveLength(3);
  });

  it("names testcases by example id and dataset, with times in seconds", () => {
    const facts = suiteNamed(root, "qa.facts");
    const failed = caseNamed(facts, "manual-002");
    expect(failed.attrs).toMatchObject({ classname: "manual", time: "2.400" });
    expect(caseNamed(facts, "synthetic-003").attrs).toMatchObject({ classname: "synthetic", time: "30.000" });
    expect(facts.attrs.time).toBe("33.650");
    expect(root.attrs.time).toBe("83.400");
    expect(facts.attrs.timestamp).toBe("2025-06-01T12:00:00");
  });

  it("explains failures and errors, keeping hostile text intact but inert", () => {
    const facts = suiteNamed(root, "qa.facts");
    const failure = caseNamed(facts, "manual-002").children[0]!;
    expect(failure.name).toBe("failure");
    expect(failure.attrs.type).toBe("missing_facts");
    expect(failure.attrs.message).toBe(`score 0.000 (missing_facts): Missing: "never say \\"ok\\" <ever>"`);
    expect(failure.text).toContain(`input: ${HOSTILE_INPUT}`);
    // NUL and ESC are illegal in XML 1.0: stripped, the rest survives.
    expect(failure.text).toContain(`answer: ${HOSTILE_ANSWER.replaceAll("\u0000", "").replaceAll("\u001b", "")}`);

    const broken = caseNamed(facts, "synthetic-003").children[0]!;
    expect(broken.name).toBe("error");
    expect(broken.attrs).toMatchObject({ type: "llm_failed", message: "agent run broke: model timed out after 30 s <upstream>" });

    const aggregate = caseNamed(facts, "qa.facts aggregate").children[0]!;
    expect(aggregate.name).toBe("failure");
    expect(aggregate.attrs.message).toBe("below threshold 0.70");

    expect(caseNamed(suiteNamed(root, "retrieval.ndcg@4"), "retrieval.ndcg@4 aggregate").children).toEqual([]);
    expect(caseNamed(suiteNamed(root, "code.correctness"), "code.correctness aggregate").children[0]!.name).toBe("skipped");
  });

  it("stays parsable with control characters and markup anywhere", () => {
    const nasty = makeEvalResult();
    nasty.runId = `run "1" <&>`;
    nasty.examples[0]!.exampleId = `id\u0001 with "quotes" & <tags>\uFFFE\uD800`;
    nasty.metrics[0]!.reason = `reason ]]> <![CDATA[ \u0008 tab\tnewline\n`;
    const parsed = parseXml(renderJUnitXml(nasty));
    expect(parsed.attrs.name).toBe(`eval run "1" <&>`);
    expect(caseNamed(suiteNamed(parsed, "qa.facts"), `id with "quotes" & <tags>`)).toBeDefined();
    expect(caseNamed(suiteNamed(parsed, "qa.facts"), "qa.facts aggregate").children[0]!.attrs.message).toBe(
      "reason ]]> <![CDATA[  tab\tnewline\n",
    );
  });
});

describe("XML escaping", () => {
  it("escapes markup and drops characters XML 1.0 forbids", () => {
    expect(escapeXmlText("a<b>&c\u0000\u001f\uFFFF")).toBe("a&lt;b&gt;&amp;c");
    expect(escapeXmlAttr(`"x"\n'y'`)).toBe("&quot;x&quot;&#10;&apos;y&apos;");
    // Astral characters (emoji) are legal and kept whole.
    expect(escapeXmlText("ok 👍")).toBe("ok 👍");
  });

  it("the checker rejects what a real parser rejects", () => {
    expect(() => parseXml("<a><b></a></b>")).toThrow();
    expect(() => parseXml("<a>x & y</a>")).toThrow();
    expect(() => parseXml("<a>1 < 2</a>")).toThrow();
    expect(() => parseXml(`<a x="1" x="2"/>`)).toThrow();
    expect(() => parseXml("<a>\u0001</a>")).toThrow();
    expect(() => parseXml("<a>&nbsp;</a>")).toThrow();
    expect(parseXml(`<a x="&lt;&#10;"><b/>t</a>`)).toEqual({
      name: "a",
      attrs: { x: "<\n" },
      children: [{ name: "b", attrs: {}, children: [], text: "" }],
      text: "t",
    });
  });
});
