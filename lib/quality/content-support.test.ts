import { describe, expect, it } from "vitest";
import { contentSupport } from "./content-support";

describe("contentSupport", () => {
  const knowledge = "The Oberoi Group is a hotel company with its head office in Delhi.";
  const question = "The Oberoi family is part of a hotel company that has a head office in what city?";

  it("finds nothing unsupported in an extractive answer", () => {
    expect(contentSupport("Delhi", [knowledge, question])).toEqual({ words: 1, unsupported: [], ratio: 0 });
  });

  it("names the content words no source carries", () => {
    const s = contentSupport("The Oberoi family's hotel company is based in Mumbai.", [knowledge, question]);
    // Stems, as both sides are compared: "based" → "bas".
    expect(s.unsupported).toEqual(["bas", "mumbai"]);
    expect(s.ratio).toBeGreaterThan(0);
  });

  it("ignores function words and case", () => {
    expect(contentSupport("It is IN delhi", [knowledge]).unsupported).toEqual([]);
  });
});
