import { describe, expect, it } from "vitest";
import { checkClaims } from "@/lib/quality/claims";
import type { ScoredChunk } from "@/lib/vectorstore/types";
import type { Evidence } from "../evidence";
import { guardAnswer } from "./answer-guard";

const passage: ScoredChunk = {
  id: "kettle#0",
  docId: "kettle",
  title: "Falcon F7 Kettle",
  topic: "products",
  text: "The Falcon F7 boils 1.7 litres in 3 minutes. It costs $89 and carries a 2-year warranty.",
  start: 0,
  end: 90,
  score: 0.7,
};
const evidence: Evidence[] = [
  {
    sentence: "It costs $89 and carries a 2-year warranty.",
    title: "Falcon F7 Kettle",
    context: "",
    chunkId: "kettle#0",
    docId: "kettle",
    score: 0.6,
  },
  {
    sentence: "The Falcon F7 boils 1.7 litres in 3 minutes.",
    title: "Falcon F7 Kettle",
    context: "",
    chunkId: "kettle#0",
    docId: "kettle",
    score: 0.8,
  },
];
const question = "How fast does the Falcon F7 boil?";

describe("guardAnswer", () => {
  it("shows a supported answer with the evidence that carries its figures", () => {
    const guarded = guardAnswer({ question, draft: "It boils 1.7 litres in 3 minutes.", evidence });
    expect(guarded.verdict).toBe("supported");
    expect(guarded.text).toBe(
      "It boils 1.7 litres in 3 minutes.\n\nSource: “The Falcon F7 boils 1.7 litres in 3 minutes.” (Falcon F7 Kettle)",
    );
  });

  it("replaces an answer with an invented figure by the quoted evidence, and the figure is gone", () => {
    const guarded = guardAnswer({ question, draft: "It boils water in 45 seconds.", evidence });
    expect(guarded.verdict).toBe("repaired");
    expect(guarded.unsupported.map((c) => c.text)).toEqual(["45"]);
    expect(guarded.text).not.toContain("45");
    expect(guarded.text).toContain("“The Falcon F7 boils 1.7 litres in 3 minutes.” (Falcon F7 Kettle)");
    // What is shown passes the same check the answer failed.
    expect(checkClaims(guarded.text, [passage.text, passage.title]).unsupported).toEqual([]);
  });

  it("replaces an invented name too", () => {
    const guarded = guardAnswer({ question, draft: "Designed by Hans Gruber, it boils in 3 minutes.", evidence });
    expect(guarded.verdict).toBe("repaired");
    expect(guarded.unsupported.map((c) => c.text)).toEqual(["Hans Gruber"]);
  });

  it("quotes the best unit too when the model took its figure from a weaker one", () => {
    const guarded = guardAnswer({ question: "How much is the Falcon F7?", draft: "It has a 2-year warranty.", evidence });
    expect(guarded.verdict).toBe("supported");
    expect(guarded.text.split("\n\n")).toEqual([
      "It has a 2-year warranty.",
      "Source: “The Falcon F7 boils 1.7 litres in 3 minutes.” (Falcon F7 Kettle)",
      "Source: “It costs $89 and carries a 2-year warranty.” (Falcon F7 Kettle)",
    ]);
  });

  it("declines a figure taken from a passage about another product than the one asked about", () => {
    const guarded = guardAnswer({ question: "How much does the Falcon F9 cost?", draft: "The Falcon F9 costs $89.", evidence });
    expect(guarded).toMatchObject({ verdict: "abstained", reason: "other_subject", unsupported: [] });
    const sameProduct = guardAnswer({ question: "How much does the Falcon F7 cost?", draft: "It costs $89.", evidence });
    expect(sameProduct.verdict).toBe("supported");
  });

  it("passes the model's own refusal on as an abstention", () => {
    expect(guardAnswer({ question, draft: "I don't know.", evidence }).verdict).toBe("abstained");
  });
});
