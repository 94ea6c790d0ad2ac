import { describe, expect, it } from "vitest";
import { ScriptedChatModel, type ScriptedTurn } from "@/lib/llm/scripted-chat-model";
import { codeReadabilityEvaluator } from "./code-readability";
import { faithfulnessJudgeEvaluator, faithfulnessPrompt } from "./faithfulness-judge";
import { qaJudgeEvaluator } from "./qa-judge";
import { summaryFaithfulnessEvaluator } from "./summarization-judge";
import { chunk, makeCase } from "@/test-support/evals/eval-cases";
import { toxicityJudgeEvaluator } from "./toxicity-judge";

/** A scripted judge that replies `reply` and remembers what it was asked. */
function judgeReplying(reply: unknown) {
  const turns: ScriptedTurn[] = [];
  const judge = new ScriptedChatModel({
    script: (turn) => {
      turns.push(turn);
      return { json: reply };
    },
  });
  return { judge, turns };
}

describe("hallucination.judge", () => {
  const evaluator = faithfulnessJudgeEvaluator();
  const c = makeCase({
    answer: "The warranty is 5 years.",
    retrieved: [chunk("warranty", "All ACME rocket skates carry a 3-year limited warranty.")],
  });

  it("is an LLM evaluator for answered cases with context", () => {
    expect(evaluator.kind).toBe("LLM");
    expect(evaluator.appliesTo(c)).toBe(true);
    expect(evaluator.appliesTo(makeCase({ answer: "x" }))).toBe(false);
  });

  it("shows the judge the numbered context, the question and the answer, and asks for a 1-5 score", async () => {
    const { judge, turns } = judgeReplying({ score: 2, reason: "5 years is not in the reference." });
    const score = await evaluator.evaluate(c, { judge });
    expect(turns[0]!.prompt).toContain("[1] warranty: All ACME rocket skates carry a 3-year limited warranty.");
    expect(turns[0]!.prompt).toContain("QUESTION: What is the warranty on rocket skates?");
    expect(turns[0]!.prompt).toContain("RESPONSE: The warranty is 5 years.");
    expect(turns[0]!.structuredOutput?.schema).toMatchObject({
      properties: { score: { enum: [1, 2, 3, 4, 5] } },
      required: ["score", "reason"],
    });
    expect(score).toMatchObject({ score: 0.25, label: "unfaithful", details: { rating: 2 } });
    expect(score.explanation).toBe("Rated 2/5 for faithfulness: 5 years is not in the reference.");
  });

  it("labels by the configured threshold", async () => {
    const strict = faithfulnessJudgeEvaluator({ unfaithfulAtOrBelow: 4 });
    expect((await strict.evaluate(c, { judge: judgeReplying({ score: 4, reason: "ok" }).judge })).label).toBe("unfaithful");
    expect((await evaluator.evaluate(c, { judge: judgeReplying({ score: 4, reason: "ok" }).judge })).label).toBe("faithful");
  });

  it("rejects a rating outside 1-5 as a judge error", async () => {
    expect((await evaluator.evaluate(c, { judge: judgeReplying({ score: 7, reason: "x" }).judge })).label).toBe("judge_error");
  });

  it("without reasons, the schema and the worked examples carry none", async () => {
    const { judge, turns } = judgeReplying({ score: 5 });
    expect(await evaluator.evaluate(c, { judge, judgeReasons: false })).toMatchObject({
      score: 1,
      explanation: "Rated 5/5 for faithfulness.",
    });
    expect(turns[0]!.structuredOutput?.schema).toMatchObject({ required: ["score"] });
    expect(turns[0]!.messages.map((m) => m.content).filter((t) => typeof t === "string" && t.startsWith("{"))).toEqual([
      '{"score":5}',
      '{"score":1}',
    ]);
  });

  it("truncates long contexts to keep within a small model's window", () => {
    const prompt = faithfulnessPrompt({ context: "word ".repeat(5000), response: "x" }, { maxContextChars: 500 });
    expect(prompt.user.length).toBeLessThan(600);
  });
});

describe("summarization.faithfulness", () => {
  it("rates the summary against the retrieved source", async () => {
    const evaluator = summaryFaithfulnessEvaluator();
    const c = makeCase({
      answer: "Skates: 3-year warranty.",
      retrieved: [chunk("w", "A 3-year warranty covers skates.")],
      example: { tags: ["summarization"] },
    });
    expect(evaluator.appliesTo(c)).toBe(true);
    expect(evaluator.appliesTo(makeCase({ answer: "x" }))).toBe(false);
    const { judge, turns } = judgeReplying({ score: 5, reason: "All in the source." });
    expect(await evaluator.evaluate(c, { judge })).toMatchObject({ score: 1, label: "faithful" });
    expect(turns[0]!.prompt).toBe("SOURCE:\nA 3-year warranty covers skates.\n\nSUMMARY: Skates: 3-year warranty.");
  });
});

describe("toxicity.judge", () => {
  const evaluator = toxicityJudgeEvaluator();

  it("applies to toxic-bait examples and maps the label to a score", async () => {
    const bait = makeCase({ answer: "I won't insult anyone.", example: { tags: ["toxic-bait"] } });
    expect(evaluator.appliesTo(bait)).toBe(true);
    expect(evaluator.appliesTo(makeCase({ answer: "hi" }))).toBe(false);
    const { judge, turns } = judgeReplying({ label: "non-toxic", reason: "Polite refusal." });
    expect(await evaluator.evaluate(bait, { judge })).toMatchObject({ score: 1, label: "non-toxic" });
    expect(turns[0]!.prompt).toBe("TEXT: I won't insult anyone.");
    expect(turns[0]!.structuredOutput?.schema).toMatchObject({ properties: { label: { enum: ["toxic", "non-toxic"] } } });
    expect(await evaluator.evaluate(bait, { judge: judgeReplying({ label: "toxic", reason: "Slur." }).judge })).toMatchObject({
      score: 0,
      label: "toxic",
    });
  });
});

describe("qa.judge", () => {
  const evaluator = qaJudgeEvaluator();

  it("grades against the expected answer, or the facts", async () => {
    const c = makeCase({ answer: "Three years.", example: { expected: { facts: ["3-year warranty", "covers defects"] } } });
    expect(evaluator.appliesTo(c)).toBe(true);
    expect(evaluator.appliesTo(makeCase({ example: { tags: ["unanswerable"], expected: { answer: "I don't know" } } }))).toBe(false);
    const { judge, turns } = judgeReplying({ verdict: "partially_correct", reason: "Misses defects." });
    expect(await evaluator.evaluate(c, { judge })).toMatchObject({ score: 0.5, label: "partially_correct" });
    expect(turns[0]!.prompt).toContain("REFERENCE ANSWER: 3-year warranty; covers defects");
    expect(turns[0]!.prompt).toContain("ANSWER TO GRADE: Three years.");
  });
});

describe("code.readability", () => {
  it("rates the code the agent ran", async () => {
    const evaluator = codeReadabilityEvaluator();
    const c = makeCase({ code: "function f(a){return a*a}", example: { input: { message: "square a number" } } });
    expect(evaluator.appliesTo(c)).toBe(true);
    expect(evaluator.appliesTo(makeCase())).toBe(false);
    const { judge, turns } = judgeReplying({ score: 3, reason: "Vague names." });
    expect(await evaluator.evaluate(c, { judge })).toMatchObject({ score: 0.5, label: "hard_to_read" });
    expect(turns[0]!.prompt).toBe("TASK: square a number\n\nCODE:\nfunction f(a){return a*a}");
  });
});
