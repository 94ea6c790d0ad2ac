import { describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { getEmbedder } from "./transformers-embedder";

const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * (b[i] as number), 0);

describe("TransformersEmbedder with the real all-MiniLM-L6-v2 (int8)", () => {
  const embedder = getEmbedder(loadConfig());

  it("produces normalised 384-d vectors", async () => {
    const [a, b] = await embedder.embedDocuments(["The cat sits on the mat.", "A quarterly sales report for the northern region."]);
    for (const v of [a!, b!]) {
      expect(v).toBeInstanceOf(Float32Array);
      expect(v).toHaveLength(384);
      expect(Math.sqrt(dot(v, v))).toBeCloseTo(1, 4);
    }
  });

  it("scores similar sentences higher than unrelated ones", async () => {
    const q = await embedder.embedQuery("How do I get my money back for an order?");
    const [refund, weather, password] = await embedder.embedDocuments([
      "Customers can request a full refund within 30 days of purchase.",
      "Tomorrow will be sunny with light winds from the west.",
      "Open the sign-in page and choose 'Forgot password' to reset it.",
    ]);
    expect(dot(q, refund!)).toBeGreaterThan(0.4);
    expect(dot(q, refund!)).toBeGreaterThan(dot(q, weather!) + 0.2);
    expect(dot(q, refund!)).toBeGreaterThan(dot(q, password!));
  });

  it("gives the same vector for a text alone or in a padded batch, in input order", async () => {
    const texts = ["short", "a considerably longer sentence that needs more word pieces than the first one", "medium length text"];
    const batch = await embedder.embedDocuments(texts);
    for (const [i, t] of texts.entries()) expect(dot(batch[i]!, await embedder.embedQuery(t))).toBeGreaterThan(0.9999);
  });

  it("truncates long input at 256 word pieces instead of failing", async () => {
    const long = "retrieval augmented generation ".repeat(400);
    const v = await embedder.embedQuery(long);
    expect(v).toHaveLength(384);
    const truncated = await embedder.embedQuery("retrieval augmented generation ".repeat(100));
    expect(dot(v, truncated)).toBeGreaterThan(0.99);
  });

  it("loads the model once per process", () => {
    const first = embedder.load();
    expect(embedder.load()).toBe(first);
    expect(getEmbedder(loadConfig())).toBe(embedder);
  });
});
