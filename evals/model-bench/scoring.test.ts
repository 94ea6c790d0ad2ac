import { describe, expect, it } from "vitest";
import { extractChoice, extractGsm8kAnswer, gsm8kCorrect, humanEvalProgram, codeFromReply } from "./scoring";
import { sampleAcrossSubjects, sampleItems, shuffleChoices } from "./sample";
import { wilsonInterval } from "@/lib/math/wilson";
import type { ChoiceItem, HumanEvalItem } from "./types";

const choices = ["Paris", "London", "Rome", "Berlin"];

describe("extractChoice", () => {
  it("reads a leading letter in its usual shapes", () => {
    expect(extractChoice(" B", choices)).toBe(1);
    expect(extractChoice("(C) Rome", choices)).toBe(2);
    expect(extractChoice("D.", choices)).toBe(3);
    expect(extractChoice("\nA\nThe following", choices)).toBe(0);
  });
  it("reads 'the answer is X' and an option's text", () => {
    expect(extractChoice("I think the answer is C", choices)).toBe(2);
    expect(extractChoice("London, of course", choices)).toBe(1);
  });
  it("refuses letters past the last option and replies with no answer", () => {
    expect(extractChoice("E", choices)).toBeNull();
    expect(extractChoice("", choices)).toBeNull();
    expect(extractChoice("Well, it depends", choices)).toBeNull();
  });
});

describe("GSM8K extraction", () => {
  it("prefers 'The answer is N', then '#### N', then the last number", () => {
    expect(extractGsm8kAnswer("5 + 4 = 9. The answer is 9.")).toEqual({ value: "9", rule: "answer-is" });
    expect(extractGsm8kAnswer("48 / 2 = 24\n#### 72")).toEqual({ value: "72", rule: "####" });
    expect(extractGsm8kAnswer("She pays $1,200 then $30.")).toEqual({ value: "30", rule: "last-number" });
    expect(extractGsm8kAnswer("no idea")).toEqual({ value: null, rule: "none" });
  });
  it("passes the right number and fails a wrong one", () => {
    expect(gsm8kCorrect(extractGsm8kAnswer("#### 72").value, "72")).toBe(true);
    expect(gsm8kCorrect(extractGsm8kAnswer("#### 71").value, "72")).toBe(false);
    expect(gsm8kCorrect(extractGsm8kAnswer("The answer is $1,000.00.").value, "1000")).toBe(true);
    expect(gsm8kCorrect(null, "3")).toBe(false);
  });
});

describe("HumanEval program", () => {
  const item: HumanEvalItem = {
    kind: "humaneval",
    id: "T/0",
    prompt: 'def add(a, b):\n    """Add."""\n',
    entryPoint: "add",
    test: "def check(candidate):\n    assert candidate(1, 2) == 3\n",
    canonicalSolution: "    return a + b\n",
  };
  it("appends the completion, the tests and check(entry point)", () => {
    const program = humanEvalProgram(item, "    return a + b\n```\nexplanation", "continuation");
    expect(program).toContain('"""Add."""\n    return a + b\n');
    expect(program).not.toContain("explanation");
    expect(program.trimEnd().endsWith("check(add)")).toBe(true);
  });
  it("takes a chat reply's code block as the full function", () => {
    expect(codeFromReply("Sure:\n```python\ndef add(a, b):\n    return a + b\n```\nDone")).toBe("def add(a, b):\n    return a + b\n");
    expect(humanEvalProgram(item, "```python\ndef add(a, b):\n    return a + b\n```", "chat")).toContain(
      "def add(a, b):\n    return a + b",
    );
  });
});

describe("sampling and intervals", () => {
  const item = (subject: string, n: number): ChoiceItem => ({
    kind: "choice",
    id: `${subject}/${n}`,
    subject,
    question: "q",
    choices,
    answer: 0,
  });
  const items = [...Array.from({ length: 50 }, (_, i) => item("big", i)), ...Array.from({ length: 3 }, (_, i) => item("small", i))];

  it("is deterministic for a seed and spreads MMLU across subjects", () => {
    expect(sampleItems(items, 5, 42)).toEqual(sampleItems(items, 5, 42));
    expect(sampleItems(items, 5, 42)).not.toEqual(sampleItems(items, 5, 43));
    const picked = sampleAcrossSubjects(items, 6, 42);
    expect(picked.filter((p) => p.subject === "small")).toHaveLength(3);
    expect(sampleAcrossSubjects(items, 6, 42)).toEqual(picked);
  });

  it("shuffles TruthfulQA choices with the seed and keeps the answer on the same text", () => {
    const truthful: ChoiceItem = { ...item("truthfulqa", 1), choices: ["true", "f1", "f2", "f3", "f4"], answer: 0 };
    const shuffled = shuffleChoices(truthful, 42);
    expect(shuffled.choices[shuffled.answer]).toBe("true");
    expect(shuffleChoices(truthful, 42)).toEqual(shuffled);
    const positions = new Set(Array.from({ length: 20 }, (_, i) => shuffleChoices({ ...truthful, id: `t/${i}` }, 42).answer));
    expect(positions.size).toBeGreaterThan(2);
  });

  it("Wilson interval: inside [0, 1], not zero-width at 0 successes", () => {
    const zero = wilsonInterval(0, 164);
    expect(zero.low).toBe(0);
    expect(zero.high).toBeCloseTo(0.0229, 3);
    const half = wilsonInterval(100, 200);
    expect(half.low).toBeCloseTo(0.4314, 3);
    expect(half.high).toBeCloseTo(0.5686, 3);
  });
});
