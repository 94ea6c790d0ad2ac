import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ScriptedChatModel, type ScriptedChatModelFields } from "@/lib/llm/scripted-chat-model";
import { askJudge, judgeMessages, judgeScore, wantsReasons, type JudgePrompt } from "./judge-call";
import { makeScore } from "./score";

const schema = z.object({ verdict: z.enum(["yes", "no"]) });
const prompt: JudgePrompt<z.infer<typeof schema>> = {
  name: "test_judge",
  schema,
  system: "Answer yes or no.",
  shots: [{ user: "Is 2 even?", reply: { verdict: "yes" } }],
  user: "Is 3 even?",
};
const toScore = (reply: z.infer<typeof schema>) => makeScore(reply.verdict === "yes" ? 1 : 0, reply.verdict, "");

/** The embedded model's type name, to check what judges ask of it. */
class LocalLikeModel extends ScriptedChatModel {
  constructor(fields: ScriptedChatModelFields) {
    super(fields);
  }
  override _llmType(): string {
    return "llama.cpp";
  }
}

describe("judgeMessages", () => {
  it("puts the system prompt, the worked examples and the case in order", () => {
    const messages = judgeMessages(prompt);
    expect(messages.map((m) => [m.getType(), m.content])).toEqual([
      ["system", "Answer yes or no."],
      ["human", "Is 2 even?"],
      ["ai", '{"verdict":"yes"}'],
      ["human", "Is 3 even?"],
    ]);
  });
});

describe("askJudge", () => {
  it("constrains the reply to the schema (a grammar for local models)", async () => {
    const judge = new ScriptedChatModel({ script: [{ json: { verdict: "no" } }] });
    expect(await askJudge(judge, prompt)).toEqual({ verdict: "no" });
    const request = judge.calls[0]!.structuredOutput;
    expect(request?.name).toBe("test_judge");
    expect(request?.schema).toMatchObject({ type: "object", properties: { verdict: { enum: ["yes", "no"] } } });
  });
});

describe("judgeScore", () => {
  it("turns the reply into a score", async () => {
    const judge = new ScriptedChatModel({ script: [{ json: { verdict: "yes" } }] });
    expect(await judgeScore({ judge }, () => prompt, toScore)).toMatchObject({ score: 1, label: "yes" });
  });

  it("turns malformed output into a judge_error score, not an exception", async () => {
    for (const reply of ["not json at all", { json: { verdict: "maybe" } }, { json: { other: 1 } }]) {
      const judge = new ScriptedChatModel({ script: [reply] });
      const score = await judgeScore({ judge }, () => prompt, toScore);
      expect(score).toMatchObject({ score: 0, label: "judge_error", error: { code: "llm_failed" } });
    }
  });

  it("turns a failed call and a missing judge into judge_error", async () => {
    const failing = new ScriptedChatModel({ script: [{ text: "x", failAfterTokens: 0 }] });
    expect(await judgeScore({ judge: failing }, () => prompt, toScore)).toMatchObject({ label: "judge_error" });
    expect(await judgeScore({}, () => prompt, toScore)).toMatchObject({ label: "judge_error", error: { code: "config_invalid" } });
  });

  it("rejects when the run is aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const judge = new ScriptedChatModel({ script: [{ json: { verdict: "yes" } }] });
    await expect(judgeScore({ judge, signal: controller.signal }, () => prompt, toScore)).rejects.toMatchObject({ code: "aborted" });
  });

  it("asks for reasons except from the embedded model, unless told", () => {
    const local = new LocalLikeModel({ script: [] });
    const api = new ScriptedChatModel({ script: [] });
    expect(wantsReasons({ judge: api })).toBe(true);
    expect(wantsReasons({ judge: local })).toBe(false);
    expect(wantsReasons({ judge: local, judgeReasons: true })).toBe(true);
  });
});
