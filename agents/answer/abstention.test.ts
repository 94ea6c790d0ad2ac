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
const vocabulary = new Set(["falcon", "f7", "kettle", "boil", "litre", "price", "cost"]);

describe("abstentionReason", () => {
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
});
