import { describe, expect, it } from "vitest";
import { lengthRatioScore, summarizationEvaluators, summarySource } from "./summarization";
import { chunk, makeCase } from "@/test-support/evals/eval-cases";

const [coverage, unsupported, length] = summarizationEvaluators({ minSourceWords: 10 });
const source =
  "The ACME return policy lets customers return any product within 45 days of delivery for a full refund. Opened rocket kits cannot be returned. Refunds go to the original payment method within 5 business days.";
const base = {
  example: { tags: ["summarization"], expected: { facts: ["returns within 45 days", "opened rocket kits cannot be returned"] } },
  retrieved: [chunk("returns", source)],
};

describe("summarization evaluators", () => {
  it("apply to summarization examples only", () => {
    const c = makeCase({ ...base, answer: "Returns within 45 days." });
    expect([coverage, unsupported, length].map((e) => e!.appliesTo(c))).toEqual([true, true, true]);
    expect(coverage!.appliesTo(makeCase({ answer: "x", example: { expected: { facts: ["a"] } } }))).toBe(false);
  });

  it("uses the retrieved text as the source, else the user's message", () => {
    expect(summarySource(makeCase(base))).toBe(source);
    expect(summarySource(makeCase({ example: { input: { message: "Summarize: foo bar" } } }))).toBe("Summarize: foo bar");
  });

  it("scores key points covered and invented details", async () => {
    const c = makeCase({ ...base, answer: "You can return products within 45 days; refunds take 10 days via PayPal." });
    expect(await coverage!.evaluate(c, {})).toMatchObject({ score: 0.5, label: "partial" });
    const u = await unsupported!.evaluate(c, {});
    expect(u.label).toBe("unsupported_claims");
    expect(u.explanation).toContain("10");
    expect(u.explanation).toContain("PayPal");
  });

  it("scores the length ratio", async () => {
    expect(lengthRatioScore(0.3, 0.02, 0.6)).toBe(1);
    expect(lengthRatioScore(1.2, 0.02, 0.6)).toBe(0.5);
    expect(lengthRatioScore(0.01, 0.02, 0.6)).toBe(0.5);
    expect(lengthRatioScore(0, 0.02, 0.6)).toBe(0);
    const tooLong = await length!.evaluate(makeCase({ ...base, answer: `${source} ${source}` }), {});
    expect(tooLong).toMatchObject({ score: 0.3, label: "too_long" });
    const ok = await length!.evaluate(makeCase({ ...base, answer: "Returns within 45 days, except opened kits." }), {});
    expect(ok.label).toBe("ok");
  });
});
