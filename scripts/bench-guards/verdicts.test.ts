import { describe, expect, it } from "vitest";
import type { LoggedSpan } from "@/lib/telemetry/trace-log/trace-reader";
import { countVerdicts, share, traceLogVerdicts } from "./verdicts";

let nextId = 0;
function span(traceId: string, fields: Partial<LoggedSpan> = {}): LoggedSpan {
  return {
    traceId,
    spanId: `s${nextId++}`,
    parentSpanId: "parent",
    name: "postprocess",
    spanKind: "CHAIN",
    startTimeMs: 0,
    endTimeMs: 1,
    statusCode: "OK",
    statusMessage: null,
    attributes: {},
    ...fields,
  };
}

/** A chat trace: its root with the route, and a postprocess span with the verdict when one is given. */
function chat(traceId: string, route: string, verdict?: string, statusCode: LoggedSpan["statusCode"] = "OK", scope?: string): LoggedSpan[] {
  const root = span(traceId, { name: "chat", parentSpanId: null, spanKind: "AGENT", statusCode, attributes: { "agent.route": route } });
  const routeSpan = span(traceId, { name: "route", attributes: scope === undefined ? {} : { "agent.route.scope": scope } });
  const post = verdict === undefined ? [] : [span(traceId, { attributes: { "answer.guard.verdict": verdict } })];
  return [root, routeSpan, ...post];
}

describe("countVerdicts", () => {
  it("counts each verdict, and anything else as unchecked", () => {
    expect(countVerdicts(["supported", "repaired", "supported", undefined, "abstained", "odd"])).toEqual({
      supported: 2,
      repaired: 1,
      abstained: 1,
      unchecked: 2,
    });
  });
});

describe("traceLogVerdicts", () => {
  it("counts answered turns, knowledge-base answers and their verdicts, per trace", () => {
    const spans = [
      ...chat("t1", "knowledge_base_search", "supported"),
      ...chat("t2", "knowledge_base_search", "repaired"),
      ...chat("t3", "knowledge_base_search", "abstained"),
      ...chat("t4", "knowledge_base_search"), // guards off: no check ran
      ...chat("t5", "sales_query"),
      ...chat("t6", "knowledge_base_search", "supported", "ERROR"), // failed: not an answer
      ...chat("t8", "knowledge_base_search", undefined, "OK", "off_topic"), // a scoped reply: nothing to check
      ...chat("t9", "sales_query", "abstained"), // the plan ended in the knowledge base
      span("t7", { name: "evaluator", parentSpanId: null }), // not a chat trace
    ];
    expect(traceLogVerdicts(spans)).toEqual({
      answered: 7,
      knowledgeBase: 5,
      verdicts: { supported: 1, repaired: 1, abstained: 2, unchecked: 1 },
    });
  });

  it("is empty for an empty log", () => {
    expect(traceLogVerdicts([])).toEqual({ answered: 0, knowledgeBase: 0, verdicts: countVerdicts([]) });
  });
});

describe("share", () => {
  it("gives the count with its percentage, a dash for nothing", () => {
    expect(share(3, 8)).toBe("3 (37.5 %)");
    expect(share(0, 0)).toBe("–");
  });
});
