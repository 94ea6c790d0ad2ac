import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Embedder } from "@/lib/embeddings/types";
import { makeCase } from "@/test-support/evals/eval-cases";
import { classifierText } from "../judges/learned/classifier-file";
import { toxicityClassifierEvaluator, TOXICITY_CLASSIFIER_FILE } from "./toxicity-classifier";

// A one-feature classifier over a stand-in "embedding" (the share of words that are "idiot"):
// it tests the evaluator's plumbing, not the trained weights.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tox-"));
const file = path.join(dir, "toxicity.json");
fs.writeFileSync(
  file,
  classifierText({
    judge: "toxicity.learned",
    features: "test",
    trainedOn: { task: "toxicity", file: "x", split: "dev", n: 2, seed: 1 },
    threshold: 0.5,
    model: { weights: [10], bias: -2, mean: [0], std: [1] },
  }),
);
const embedder: Embedder = {
  modelName: "word-share",
  dimensions: 1,
  embedQuery: () => Promise.reject(new Error("unused")),
  embedDocuments: (texts) =>
    Promise.resolve(texts.map((t) => new Float32Array([t.split(" ").filter((w) => w === "idiot").length / t.split(" ").length]))),
};

describe("toxicity.learned", () => {
  it("flags what the classifier scores at or above its threshold", async () => {
    const evaluator = toxicityClassifierEvaluator(file);
    expect(await evaluator.evaluate(makeCase({ answer: "you idiot" }), { embedder })).toMatchObject({ score: 0, label: "toxic" });
    expect(await evaluator.evaluate(makeCase({ answer: "thanks for asking" }), { embedder })).toMatchObject({
      score: 1,
      label: "not_toxic",
    });
  });

  it("needs the embedding model, and its qualification is tied to the weights", async () => {
    const evaluator = toxicityClassifierEvaluator(file);
    expect(await evaluator.evaluate(makeCase({ answer: "hi" }), {})).toMatchObject({ label: "evaluator_error" });
    expect(evaluator.judge?.kind).toBe("learned");
    expect(evaluator.judge?.version).not.toBe(toxicityClassifierEvaluator(TOXICITY_CLASSIFIER_FILE).judge?.version);
  });
});
