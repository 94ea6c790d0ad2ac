import { describe, expect, it } from "vitest";
import { contentWords } from "./text";
import { uncoveredTerms } from "./uncovered-terms";

const vocabulary = new Set(
  contentWords(
    "The Falcon F7 kettle boils 1.7 litres. Warranty: two years on every kettle. Shipping is free over $50. " +
      "Employees get 20 vacation days and paid parental leave. The cheap model is the Finch F2. Prices and costs per order.",
  ),
);

describe("uncoveredTerms", () => {
  it("names the subject words no document mentions", () => {
    expect(uncoveredTerms("How long can an employee secondment last?", vocabulary)).toEqual(["secondment"]);
    expect(uncoveredTerms("What is the wattage of the Falcon F7?", vocabulary)).toEqual(["wattage"]);
  });

  it("names a product code that does not exist", () => {
    expect(uncoveredTerms("How much does the Falcon F9 cost?", vocabulary)).toEqual(["f9"]);
  });

  it("leaves out framing words, politeness and insults", () => {
    expect(uncoveredTerms("Please tell me quickly, you useless bot: how much is shipping?", vocabulary)).toEqual([]);
    expect(uncoveredTerms("TL;DR of the warranty please", vocabulary)).toEqual([]);
  });

  it("leaves out contractions: function words run together", () => {
    expect(uncoveredTerms("Why doesn't the kettle boil, and why won't shipping be free?", vocabulary)).toEqual([]);
    expect(uncoveredTerms("They'd said we'll get vacation days", vocabulary)).toEqual([]);
  });

  it("accepts inflections and misspellings of corpus words", () => {
    expect(uncoveredTerms("Which is the cheapest kettle?", vocabulary)).toEqual([]);
    expect(uncoveredTerms("How long is the warrantee on kettles?", vocabulary)).toEqual([]);
    expect(uncoveredTerms("Is shippping free?", vocabulary)).toEqual([]);
  });

  it("leaves numbers out: a question may bring its own operands", () => {
    expect(uncoveredTerms("Is shipping free for an order of 73 kettles?", vocabulary)).toEqual([]);
  });
});
