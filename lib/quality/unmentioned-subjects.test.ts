import { describe, expect, it } from "vitest";
import { HashingTestEmbedder } from "@/test-support/embeddings/hashing-test-embedder";
import { subjectMentions } from "./unmentioned-subjects";

// The hashing embedder knows no meaning: a word is close only to itself, so these tests pin
// the lexical side (named, inflected, misspelt, framing); the integration test pins the
// embedding side with the real model.
const passages = ["Falcon F7 Kettle\nThe F7 boils 1.7 litres of water in three minutes. Its warranty lasts two years."];

describe("subjectMentions", () => {
  it("scores a noun a passage names as 1 and one it never names low", async () => {
    const mentions = await subjectMentions("Which descaler does the kettle need?", passages, new HashingTestEmbedder());
    expect(mentions.find((m) => m.noun === "kettle")?.similarity).toBe(1);
    expect(mentions.find((m) => m.noun === "descaler")?.similarity).toBeLessThan(0.5);
  });

  it("counts inflections and misspellings of a passage word as named", async () => {
    const mentions = await subjectMentions("How long are the warranties on ketles?", passages, new HashingTestEmbedder());
    expect(mentions.map((m) => [m.noun, m.similarity])).toEqual(
      expect.arrayContaining([
        ["warranties", 1],
        ["ketles", 1],
      ]),
    );
  });

  it("embeds nothing when every noun is named", async () => {
    const embedder = new HashingTestEmbedder();
    await subjectMentions("What is the F7 kettle's warranty?", passages, embedder);
    expect(embedder.embedded).toEqual([]);
  });

  it("leaves out the commonest words of English, which frame rather than name a subject", async () => {
    const mentions = await subjectMentions("How fast do I get my money back for a descaler?", passages, new HashingTestEmbedder());
    expect(mentions.map((m) => m.noun)).toEqual(["descaler"]);
  });

  it("leaves out framing nouns, and finds nothing named in no passages", async () => {
    const mentions = await subjectMentions("Give me a summary of the descaler policy", [], new HashingTestEmbedder());
    expect(mentions.map((m) => m.noun)).not.toContain("summary");
    expect(mentions.find((m) => m.noun === "descaler")?.similarity).toBe(0);
  });
});
