import { describe, expect, it } from "vitest";
import { questionNouns } from "./question-nouns";

describe("questionNouns", () => {
  it("keeps the nouns and drops question words, verbs and adjectives", () => {
    const nouns = questionNouns("How many vacation days does a part-time nurse get?");
    expect(nouns).toEqual(expect.arrayContaining(["vacation", "days", "nurse"]));
    expect(nouns).not.toContain("how");
    expect(nouns).not.toContain("many");
    expect(nouns).not.toContain("get");
  });

  it("reads only the sentences that ask when a remark comes with the question", () => {
    const nouns = questionNouns("Your lawnmower is rubbish. What blade does the M3 take?");
    expect(nouns).toContain("blade");
    expect(nouns).not.toContain("lawnmower");
    expect(nouns).not.toContain("rubbish");
  });

  it("reads the whole message when no sentence asks", () => {
    expect(questionNouns("tell me the blade size of the M3 mower")).toEqual(expect.arrayContaining(["blade", "size", "mower"]));
  });

  it("keeps a hyphenated word whole", () => {
    expect(questionNouns("Is there a Wi-Fi password for visitors?")).toEqual(expect.arrayContaining(["wi-fi", "password", "visitors"]));
  });
});
