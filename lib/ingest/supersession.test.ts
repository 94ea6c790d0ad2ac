import { describe, expect, it } from "vitest";
import { parseCorpusFile } from "./corpus";
import { linkSupersession } from "./supersession";

const doc = (id: string, updated: string, extra = "") =>
  parseCorpusFile(`${id}.md`, `---\nid: ${id}\ntitle: T\ntopic: t\nupdated: "${updated}"\n${extra}---\nBody of ${id}.`);

describe("supersession in the corpus", () => {
  it("marks the replaced document with the id of its replacement", () => {
    const linked = linkSupersession([doc("prices-2024", "2024-02-01"), doc("prices-2025", "2025-01-15", "supersedes: prices-2024\n")]);
    expect(linked.map((d) => [d.id, d.supersededBy, d.effective])).toEqual([
      ["prices-2024", "prices-2025", "2024-02-01"],
      ["prices-2025", undefined, "2025-01-15"],
    ]);
  });

  it("takes `effective` over `updated` and accepts a list", () => {
    const linked = linkSupersession([
      doc("a", "2024-01-01"),
      doc("b", "2024-01-01"),
      doc("c", "2023-01-01", 'effective: "2025-01-01"\nsupersedes: [a, b]\n'),
    ]);
    expect(linked.map((d) => d.supersededBy)).toEqual(["c", "c", undefined]);
  });

  it("refuses unknown ids, double replacement, a replacement that is not later, and self-reference, naming the file", () => {
    expect(() => linkSupersession([doc("new", "2025-01-01", "supersedes: ghost\n")])).toThrow(/new\.md: supersedes "ghost"/);
    expect(() =>
      linkSupersession([
        doc("old", "2024-01-01"),
        doc("x", "2025-01-01", "supersedes: old\n"),
        doc("y", "2025-02-01", "supersedes: old\n"),
      ]),
    ).toThrow(/y\.md: "old" is already superseded by "x"/);
    expect(() => linkSupersession([doc("old", "2025-01-01"), doc("new", "2024-01-01", "supersedes: old\n")])).toThrow(
      expect.objectContaining({ code: "corpus_invalid", message: expect.stringMatching(/new\.md: .*takes effect no later/) }),
    );
    expect(() => doc("me", "2025-01-01", "supersedes: me\n")).toThrow(/me\.md: a document cannot supersede itself/);
  });
});
