import { describe, expect, it } from "vitest";
import { splitSentences } from "./sentences";

describe("splitSentences", () => {
  it("splits prose at sentence ends and keeps figures intact", () => {
    const text = "Revenue was $8,515,801 in Q3. It grew 17.0% over Q2. e.g. this stays.";
    expect(splitSentences(text, 5)).toEqual(["Revenue was $8,515,801 in Q3.", "It grew 17.0% over Q2. e.g. this stays."]);
  });

  it("treats list items, headings and table rows as pieces and drops separators", () => {
    const text = "# Q3 2025 Sales Report\n\n- Total revenue: $8,515,801\n| --- | ---: |\n| APAC | $3,438,878 |";
    expect(splitSentences(text, 5)).toEqual(["Q3 2025 Sales Report", "Total revenue: $8,515,801", "| APAC | $3,438,878 |"]);
  });

  it("drops fragments shorter than the minimum", () => {
    expect(splitSentences("Short.\nThis one is long enough to keep.", 20)).toEqual(["This one is long enough to keep."]);
  });
});
