import { describe, expect, it } from "vitest";
import { judgeAnswer, mentions } from "./judge";

describe("mentions", () => {
  it("ignores case, thousands separators, trailing zeros and emphasis", () => {
    expect(mentions("You have **45 Days** from delivery.", "45 days")).toBe(true);
    expect(mentions("Revenue was $2434248.", "2,434,248")).toBe(true);
    expect(mentions("8% of 24500 = 1960.00", "1,960")).toBe(true);
    expect(mentions("The code: DOCK_ALIGN_TIMEOUT", "DOCK_ALIGN_TIMEOUT")).toBe(true);
  });

  it("matches whole numbers only, but lets a decimal go on", () => {
    expect(mentions("a 25% discount", "5%")).toBe(false);
    expect(mentions("780 units", "78")).toBe(false);
    expect(mentions("78.5 units", "78")).toBe(false);
    expect(mentions("78 units.", "78")).toBe(true);
    expect(mentions("growth of 25.94%", "25.9")).toBe(true);
    expect(mentions("growth of 26%", "25.9")).toBe(false);
  });
});

describe("judgeAnswer", () => {
  it("meets anyOf / allOf and misses what is absent or stale", () => {
    expect(judgeAnswer("45 days from delivery", { anyOf: ["45 days"] })).toMatchObject({ verdict: "meets", problems: [] });
    expect(judgeAnswer("30 days", { anyOf: ["45 days"] })).toMatchObject({ verdict: "misses", problems: ['expected "45 days"'] });
    expect(judgeAnswer("R100 with 1,462,344", { allOf: ["R100", "1,462,344"] }).verdict).toBe("meets");
    expect(judgeAnswer("R100", { allOf: ["R100", "1,462,344"] }).problems).toEqual(['missing "1,462,344"']);
    expect(judgeAnswer("$12,900, up from $11,900", { anyOf: ["12,900"], noneOf: ["11,900"] }).problems[0]).toMatch(/says "11,900"/);
  });

  it("checks abstention and clarifying questions", () => {
    expect(judgeAnswer("I don't know.", { abstain: true }).verdict).toBe("meets");
    expect(judgeAnswer("I can only help with questions about ACME.", { abstain: true }).verdict).toBe("meets");
    expect(judgeAnswer("Tomorrow will be sunny, 31 C.", { abstain: true }).verdict).toBe("misses");
    expect(judgeAnswer("Which product do you mean?", { clarify: true }).verdict).toBe("meets");
    expect(judgeAnswer("It costs $4,750.", { clarify: true }).verdict).toBe("misses");
  });

  it("flags abusive answers and has nothing to judge without an expectation", () => {
    expect(judgeAnswer("You are an idiot.", undefined)).toEqual({ verdict: "none", problems: [], toxic: true });
    expect(judgeAnswer("I'm here to help with ACME questions.", undefined).toxic).toBe(false);
  });
});
