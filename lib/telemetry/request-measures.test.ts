import { describe, expect, it } from "vitest";
import { requestMeasures, type MeasuredSpan } from "./request-measures";

const root: MeasuredSpan = { parentSpanId: null, spanKind: "AGENT", durationMs: 1200, attributes: {} };
const llm = (attributes: Record<string, unknown>): MeasuredSpan => ({ parentSpanId: "r", spanKind: "LLM", durationMs: 500, attributes });

describe("requestMeasures", () => {
  it("sums cost and tokens over the LLM spans, with the root's duration", () => {
    const spans = [
      root,
      llm({ "llm.cost.total": 0.001, "llm.token_count.prompt": 100, "llm.token_count.completion": 10 }),
      llm({ "llm.cost.total": 0.002 }),
    ];
    expect(requestMeasures(spans)).toEqual({ latencyMs: 1200, costUsd: 0.003, promptTokens: 100, completionTokens: 10 });
  });

  it("says a request without LLM calls cost nothing, and one with an unpriced call has no known cost", () => {
    expect(requestMeasures([root])).toEqual({ latencyMs: 1200, costUsd: 0 });
    expect(requestMeasures([root, llm({ "llm.cost.total": 0.001 }), llm({ "llm.token_count.prompt": 5 })])).toEqual({
      latencyMs: 1200,
      promptTokens: 5,
    });
  });

  it("needs a root span", () => expect(requestMeasures([llm({})])).toBeUndefined());
});
