import { describe, expect, it } from "vitest";
import { claimScore } from "@/lib/quality/claim-score";
import { defaultSalesDir, getSalesDb } from "@/lib/sales/sales-db";
import { runSalesQuery } from "@/lib/sales/sales-query";
import { formatSalesObservation } from "../tools/sales-query";
import { derivedAnswer, salesSpecSchema } from "./sales-derived-answer";
import type { SalesRow } from "@/lib/sales/sales-dimensions";

// The answer a derived question gets, from the real tool output: the figure first, then the
// rows; every number it states is one the tool returned.

const salesDb = getSalesDb(defaultSalesDir());

function answerFor(args: Record<string, unknown>): { answer: string; output: string } {
  const output = formatSalesObservation(runSalesQuery(salesDb, args));
  const parsed = JSON.parse(output) as { spec: unknown; rows: SalesRow[]; note?: string };
  const answer = derivedAnswer(salesSpecSchema.parse(parsed.spec), parsed.rows, {
    limitGiven: args.limit !== undefined,
    ...(parsed.note ? { note: parsed.note } : {}),
  });
  if (answer === undefined) throw new Error(`no derived answer for ${JSON.stringify(args)}`);
  return { answer, output };
}

describe("derived sales answers", () => {
  it.each([
    [{ derive: "share", region: "EMEA" }, "EMEA's share of revenue in 2025 was 28.2%: $9,140,911 of $32,437,875."],
    [{ derive: "growth", quarter: "2025-Q3" }, "Revenue grew 17.0% from Q2 2025 to Q3 2025 ($7,278,431 to $8,515,801)."],
    [
      { derive: "growth", region: "EMEA", quarter: "2025-Q3", compareTo: "2025-Q2" },
      "Revenue for EMEA fell from Q2 2025 to Q3 2025: a change of -37.6% ($2,931,497 to $1,829,757).",
    ],
    [
      { derive: "average", per: "month", region: "North America" },
      "Average monthly revenue for North America in 2025 was $920,604 ($11,047,248 over 12 months).",
    ],
    [
      { derive: "average", per: "unit", product: "ACME-S10" },
      "Average revenue per unit sold for ACME-S10 in 2025 was $4,260.93 ($4,601,800 over 1,080 units).",
    ],
    [
      { metric: "units", groupBy: ["product"], limit: 3 },
      "The top 3 products by units sold in 2025 are TrackPoint T5, PowerCell P3 and Anvil A1 Edge Gateway.",
    ],
    [
      { derive: "share", quarter: "2025-Q3", groupBy: ["region"], limit: 1 },
      "APAC had the largest share of revenue in Q3 2025: 40.4% ($3,438,878 of $8,515,801).",
    ],
    [
      { derive: "growth", groupBy: ["quarter"] },
      "Quarter-over-quarter growth in revenue in 2025: Q2 2025 +23.0%, Q3 2025 +17.0%, Q4 2025 +25.9%.",
    ],
  ])("%j states the figure first", (args, sentence) => {
    const { answer, output } = answerFor(args);
    expect(answer.split("\n")[0]).toBe(sentence);
    // The claim check (eval and online) finds every number, date and name in the tool's output.
    expect(claimScore(answer, [output])).toMatchObject({ label: "supported" });
  });

  it("follows the figure with the rows it came from", () => {
    expect(answerFor({ derive: "growth", quarter: "2025-Q3" }).answer.split("\n").slice(1)).toEqual([
      "- Q2 2025: $7,278,431",
      "- Q3 2025: $8,515,801",
    ]);
    expect(answerFor({ derive: "share", channel: "Partner", quarter: "2025-Q4" }).answer.split("\n").slice(1)).toEqual([
      "- Partner: $2,943,156",
      "- All channels: $10,724,597",
    ]);
    const series = answerFor({ derive: "growth", groupBy: ["quarter"] }).answer.split("\n");
    expect(series.slice(1)).toEqual([
      "- Q1 2025: $5,919,046 (first period)",
      "- Q2 2025: $7,278,431, +23.0%",
      "- Q3 2025: $8,515,801, +17.0%",
      "- Q4 2025: $10,724,597, +25.9%",
    ]);
    const top = answerFor({ metric: "revenue", groupBy: ["region"], quarter: "2025-Q2", limit: 2 }).answer.split("\n");
    expect(top.slice(1)).toEqual(["- EMEA: $2,931,497", "- North America: $2,108,661"]);
  });

  it("says why there is no year-over-year figure instead of inventing one", () => {
    const { answer } = answerFor({ derive: "growth", quarter: "2025-Q3", compareTo: "previous_year" });
    expect(answer).toMatch(/FY2025 only/);
    expect(answer).not.toMatch(/\d+(?:\.\d+)?%/);
  });

  it("leaves a plain total or a single leader to the checked model sentence", () => {
    const plain = JSON.parse(formatSalesObservation(runSalesQuery(salesDb, { quarter: "Q2" }))) as { spec: unknown; rows: SalesRow[] };
    expect(derivedAnswer(salesSpecSchema.parse(plain.spec), plain.rows, { limitGiven: false })).toBeUndefined();
    const leader = JSON.parse(formatSalesObservation(runSalesQuery(salesDb, { groupBy: ["region"], limit: 1 }))) as {
      spec: unknown;
      rows: SalesRow[];
    };
    expect(derivedAnswer(salesSpecSchema.parse(leader.spec), leader.rows, { limitGiven: true })).toBeUndefined();
  });
});
