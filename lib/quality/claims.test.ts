import { describe, expect, it } from "vitest";
import { checkClaims, extractClaims, extractNames, parseDate } from "./claims";

const unsupported = (answer: string, sources: string[]) => checkClaims(answer, sources).unsupported.map((c) => c.text);

describe("extractClaims", () => {
  it("finds dates, numbers and names, each once", () => {
    const claims = extractClaims("Allie Goertz was born on March 2, 1991 and sold 3,000 copies of Cossbysweater.");
    expect(claims).toEqual([
      { kind: "date", text: "March 2, 1991" },
      { kind: "number", text: "3,000" },
      { kind: "name", text: "Allie Goertz" },
      { kind: "name", text: "Cossbysweater" },
    ]);
  });

  it("skips sentence-opening common words but keeps a one-word answer", () => {
    expect(extractNames("Sales grew in Delhi. The report says so.")).toEqual(["Delhi"]);
    expect(extractNames("Delhi")).toEqual(["Delhi"]);
  });

  it("drops titles in front of names and keeps product identifiers", () => {
    expect(extractNames("It was President Richard Nixon who used the R100.")).toEqual(["Richard Nixon", "R100"]);
  });
});

describe("parseDate", () => {
  it("reads the usual formats", () => {
    expect(parseDate("March 2, 1991")).toEqual({ year: 1991, month: 3, day: 2 });
    expect(parseDate("2 Mar 1991")).toEqual({ year: 1991, month: 3, day: 2 });
    expect(parseDate("2025-03-02")).toEqual({ year: 2025, month: 3, day: 2 });
    expect(parseDate("Q3 2025")).toEqual({ year: 2025, quarter: 3 });
  });
});

describe("checkClaims", () => {
  const knowledge =
    "The Oberoi Group is a hotel company with its head office in Delhi. Allie Goertz (born March 2, 1991) is an American musician.";

  it("flags a place that no source mentions", () => {
    expect(unsupported("The Oberoi family's hotel company is based in Mumbai.", [knowledge])).toEqual(["Mumbai"]);
  });

  it("accepts what the sources say, in other words", () => {
    expect(unsupported("Oberoi's head office is in Delhi.", [knowledge])).toEqual([]);
    expect(unsupported("Goertz was born on 2 March 1991.", [knowledge])).toEqual([]);
    expect(unsupported("Goertz was born in 1991.", [knowledge])).toEqual([]);
  });

  it("flags a wrong date and a wrong figure", () => {
    expect(unsupported("Goertz was born on March 3, 1991.", [knowledge])).toEqual(["March 3, 1991"]);
    expect(unsupported("It grossed $190 million.", ["Poseidon grossed $ 181,674,817 worldwide."])).toEqual(["190 million"]);
    expect(unsupported("It grossed $181.7 million.", ["Poseidon grossed $ 181,674,817 worldwide."])).toEqual([]);
  });

  it("has nothing to check in an answer without numbers, dates or names", () => {
    expect(checkClaims("it is a hotel company", [knowledge]).claims).toEqual([]);
  });
});
