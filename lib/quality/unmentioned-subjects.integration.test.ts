import { describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { getEmbedder } from "@/lib/embeddings/transformers-embedder";
import { SUBJECT_SIMILARITY_MIN } from "./thresholds";
import { subjectMentions } from "./unmentioned-subjects";

// The real embedding model: a noun said in other words counts as mentioned, a noun no passage
// is about does not. Passages and questions written for this test.
const embedder = getEmbedder(loadConfig());
const travel = ["Travel Policy\nEmployees on a business journey receive a daily meal allowance of $60 and may book economy flights."];

describe("subjectMentions with the real embedding model", () => {
  it("takes a synonym in the passage for a mention", async () => {
    const mentions = await subjectMentions("How much food money do I get per day?", travel, embedder);
    expect(mentions.find((m) => m.noun === "food")?.similarity).toBeGreaterThanOrEqual(SUBJECT_SIMILARITY_MIN);
  });

  it("finds a noun the passage is not about unmentioned", async () => {
    const mentions = await subjectMentions("Which vaccinations are required before the trip?", travel, embedder);
    expect(mentions.find((m) => m.noun === "vaccinations")?.similarity).toBeLessThan(SUBJECT_SIMILARITY_MIN);
  });
});
