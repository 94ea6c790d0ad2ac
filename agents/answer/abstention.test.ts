import { describe, expect, it } from "vitest";
import { isAbstention } from "@/lib/quality/text";
import type { ScoredChunk } from "@/lib/vectorstore/types";
import type { Evidence } from "../evidence";
import { abstentionReason, abstentionText, identifiersIn } from "./abstention";

const chunk = (id: string, title: string, topic: string, score: number): ScoredChunk => ({
  id: `${id}#0`,
  docId: id,
  title,
  topic,
  text: `${title} text`,
  start: 0,
  end: 10,
  score,
});
const evidence = (sentence: string, title: string): Evidence => ({ sentence, title, context: "", chunkId: "x#0", docId: "x", score: 0.7 });

const kettle = chunk("kettle-f7", "Falcon F7 Kettle", "products", 0.71);
const vocabulary = { words: new Set(["falcon", "f7", "kettle", "boil", "litre", "price", "cost"]), common: new Set(["falcon"]) };

describe("abstentionReason", () => {
  const boilEvidence = [{ ...evidence("The F7 boils 1.7 litres in 3 minutes.", "Falcon F7 Kettle"), score: 0.62 }];

  it("declines when a noun of the question is one the passages never name and no evidence matches closely", () => {
    const subjects = [
      { noun: "kettle", similarity: 1 },
      { noun: "descaler", similarity: 0.41 },
    ];
    const reason = abstentionReason({ question: "Which descaler suits the kettle?", passages: [kettle], evidence: boilEvidence, subjects });
    expect(reason).toEqual({ kind: "unmentioned_subject", terms: ["descaler"] });
  });

  it("answers when every noun is named, or close enough to a passage word", () => {
    const subjects = [
      { noun: "kettle", similarity: 1 },
      { noun: "capacity", similarity: 0.72 },
    ];
    expect(
      abstentionReason({ question: "What is the kettle's capacity?", passages: [kettle], evidence: boilEvidence, subjects }),
    ).toBeUndefined();
  });

  it("takes an unnamed noun for a paraphrase when the best evidence unit matches the question closely", () => {
    const subjects = [{ noun: "descaler", similarity: 0.41 }];
    const close = [{ ...boilEvidence[0]!, score: 0.9 }];
    expect(
      abstentionReason({ question: "Which descaler suits the kettle?", passages: [kettle], evidence: close, subjects }),
    ).toBeUndefined();
    // The cut-offs are inputs: asked for an even closer match, the same evidence no longer vouches for the noun.
    const cutoffs = { subjectSimilarity: 0.6, evidenceScore: 0.95 };
    expect(
      abstentionReason({ question: "Which descaler suits the kettle?", passages: [kettle], evidence: close, subjects, cutoffs })?.kind,
    ).toBe("unmentioned_subject");
  });

  it("declines when nothing retrieved is close", () => {
    expect(abstentionReason({ question: "Who won the match?", passages: [{ ...kettle, score: 0.2 }], evidence: [] })).toEqual({
      kind: "nothing_relevant",
      topScore: 0.2,
    });
  });

  it("declines when the question names something no document mentions", () => {
    const reason = abstentionReason({ question: "What is the wattage of the Falcon F7?", passages: [kettle], evidence: [], vocabulary });
    expect(reason).toEqual({ kind: "unknown_terms", terms: ["wattage"] });
  });

  it("declines when the question names a code the evidence is not about", () => {
    const input = {
      question: "How much does the Falcon F9 cost?",
      passages: [kettle],
      evidence: [evidence("It costs $89.", "Falcon F7 Kettle")],
    };
    expect(abstentionReason(input)).toEqual({ kind: "other_subject", identifiers: ["F9"] });
  });

  it("lets an answerable question through", () => {
    const input = {
      question: "How much does the Falcon F7 cost?",
      passages: [kettle],
      evidence: [evidence("It costs $89.", "Falcon F7 Kettle")],
      vocabulary,
    };
    expect(abstentionReason(input)).toBeUndefined();
  });
});

describe("identifiersIn", () => {
  it("normalises codes and leaves plain numbers alone", () => {
    expect(identifiersIn("Error e-214 on the R200, tier S1, in 2025")).toEqual(["E214", "R200", "S1"]);
  });
});

describe("abstentionText", () => {
  it("says it does not know, why, what it searched and where to look", () => {
    const text = abstentionText({ kind: "unknown_terms", terms: ["wattage"] }, [kettle]);
    expect(text).toBe(
      'I don\'t know: no ACME document mentions "wattage". I searched the knowledge base; the closest documents were "Falcon F7 Kettle". Try the product\'s spec sheet or ACME Support.',
    );
    expect(isAbstention(text)).toBe(true);
  });

  it("names the nouns the passages never mention", () => {
    const text = abstentionText({ kind: "unmentioned_subject", terms: ["descaler"] }, [kettle]);
    expect(text).toMatch(
      /^I don't know: the passages I found do not mention "descaler"\. I searched the knowledge base; the closest documents were "Falcon F7 Kettle"\./,
    );
    expect(isAbstention(text)).toBe(true);
  });
});
