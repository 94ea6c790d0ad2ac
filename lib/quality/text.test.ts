import { describe, expect, it } from "vitest";
import { contentWords, extractNumbers, isAbstention, normalizeText, numberIn, sameNumber } from "./text";

const one = (text: string) => {
  const [n] = extractNumbers(text);
  if (!n) throw new Error(`no number in ${text}`);
  return n;
};

describe("normalizeText", () => {
  it("lower-cases, strips accents and unifies quotes", () => {
    expect(normalizeText("  Café “Déjà”  Vu’s & Co ")).toBe('cafe "deja" vu\'s and co');
  });
});

describe("contentWords", () => {
  it("drops function words and plural s", () => {
    expect(contentWords("The skates are covered for three years")).toEqual(["skate", "cover", "three", "year"]);
    expect(contentWords("a 3-year warranty, a 10-day window")).toEqual(["3", "year", "warranty", "10", "day", "window"]);
    expect(contentWords("covers covering R100s")).toEqual(["cover", "cover", "r100s"]);
  });
});

describe("extractNumbers", () => {
  it("reads separators, decimals and scale words", () => {
    expect(extractNumbers("grossed $ 181,674,817 on a budget of $160 million, 3.5k fans").map((n) => [n.value, n.scaled])).toEqual([
      [181674817, 181674817],
      [160, 160_000_000],
      [3.5, 3500],
    ]);
  });

  it("leaves product names and ordinals alone", () => {
    expect(extractNumbers("The R100 and Q3 sales, the 3rd item, GPT-4").map((n) => n.text)).toEqual([]);
  });

  it("records the precision of the last digit", () => {
    expect(one("$181.7 million").precision).toBeCloseTo(100_000);
    expect(one("1,290").precision).toBe(1);
  });
});

describe("sameNumber", () => {
  it("accepts rounding and truncation to the coarser precision", () => {
    expect(sameNumber(one("$181.7 million"), one("181,674,817"))).toBe(true);
    expect(sameNumber(one("$181 million"), one("181,674,817"))).toBe(true);
    expect(sameNumber(one("160,000,000"), one("160 million"))).toBe(true);
  });

  it("rejects different figures of the same precision", () => {
    expect(sameNumber(one("1,290"), one("1,295"))).toBe(false);
    expect(sameNumber(one("1844"), one("1846"))).toBe(false);
    expect(sameNumber(one("$175 million"), one("181,674,817"))).toBe(false);
  });

  it("numberIn looks through a pool", () => {
    expect(numberIn(one("45"), extractNumbers("within 45 days, 3 years"))).toBe(true);
    expect(numberIn(one("30"), extractNumbers("within 45 days, 3 years"))).toBe(false);
  });
});

describe("isAbstention", () => {
  it("recognises the agent's NO_ANSWER and paraphrases", () => {
    for (const text of [
      "I don't know.",
      "I do not know",
      "The documents do not mention it.",
      "I cannot find that in the knowledge base.",
      "",
    ]) {
      expect(isAbstention(text), text).toBe(true);
    }
  });

  it("does not take an answer for an abstention", () => {
    for (const text of ["The warranty is 3 years.", "You know, the skates cost $120."]) {
      expect(isAbstention(text), text).toBe(false);
    }
  });
});
