import { describe, expect, it } from "vitest";
import type { ScoredChunk } from "@/lib/vectorstore/types";
import { asksAboutThePast, preferCurrentDocuments } from "./current-documents";

const chunk = (id: string, extra: Partial<ScoredChunk> = {}): ScoredChunk => ({
  id: `${id}#0`,
  docId: id,
  title: id,
  topic: "pricing",
  text: "…",
  start: 0,
  end: 1,
  score: 0.5,
  ...extra,
});

const old = chunk("widget-prices-2021", { effective: "2021-03-01", supersededBy: "widget-prices-2022" });
const current = chunk("widget-prices-2022", { effective: "2022-03-01" });
const unrelated = chunk("shipping");

describe("current documents over superseded ones", () => {
  it("leaves superseded passages out of a question about today, keeping order", () => {
    expect(preferCurrentDocuments("How much does a widget cost?", [old, current, unrelated]).map((c) => c.docId)).toEqual([
      "widget-prices-2022",
      "shipping",
    ]);
  });

  it("keeps them when the question asks about the past in words", () => {
    for (const q of ["What did a widget cost previously?", "How has the widget price changed?", "What was the old widget price?"]) {
      expect(asksAboutThePast(q, old), q).toBe(true);
    }
  });

  it("keeps them for a year no later than the old document's, not for a later one", () => {
    expect(asksAboutThePast("Widget price in 2021?", old)).toBe(true);
    expect(asksAboutThePast("Widget price in 2020?", old)).toBe(true);
    expect(asksAboutThePast("Widget price in 2022?", old)).toBe(false);
    expect(asksAboutThePast("Widget price for 50 units?", old)).toBe(false);
  });
});
