import { describe, expect, it } from "vitest";
import { extractSalesParams } from "../graph/extract";
import { readDerivedArgs } from "./sales-derived-args";

// Phrasings written for this test (not the eval datasets'): each maps onto the derived
// parameters sales_query validates.
const read = (message: string) => readDerivedArgs(message, extractSalesParams(message));

describe("derived sales arguments from the message", () => {
  it.each([
    // shares
    ["How big a slice of the year's revenue did LATAM account for, as a percentage?", { derive: "share", region: "LATAM" }],
    ["What proportion of online revenue in Q2 came from the TrackPoint T5?", { derive: "share", shareOf: "product", quarter: "2025-Q2" }],
    ["What fraction of Anvil A1 units were sold in North America?", { derive: "share", shareOf: "region", product: "ACME-A1" }],
    ["percentage of 2025 units by channel", { derive: "share", groupBy: ["channel"], metric: "units" }],
    ["How was Q2 revenue divided across categories, in percent?", { derive: "share", groupBy: ["category"], quarter: "2025-Q2" }],
    // growth
    ["By what percentage did units rise from Q1 to Q3?", { derive: "growth", quarter: "2025-Q3", compareTo: "2025-Q1", metric: "units" }],
    ["Q4 vs Q3 revenue for the Direct channel", { derive: "growth", quarter: "2025-Q4", compareTo: "2025-Q3", channel: "Direct" }],
    ["how much did coyote cloud sales grow in the fourth quarter", { derive: "growth", quarter: "2025-Q4", product: "ACME-C1" }],
    ["revenue growth between the first and the fourth quarter", { derive: "growth", quarter: "2025-Q4", compareTo: "2025-Q1" }],
    ["Did revenue drop from October to November?", { derive: "growth", month: "2025-11", compareTo: "2025-10" }],
    ["revenue change month over month", { derive: "growth", groupBy: ["month"] }],
    [
      "Which product grew fastest between Q2 and Q4?",
      { derive: "growth", groupBy: ["product"], limit: 1, order: "desc", compareTo: "2025-Q2" },
    ],
    ["What was the year-over-year growth in Q2 revenue?", { derive: "growth", compareTo: "previous_year" }],
    // averages
    ["What is the typical monthly revenue from the Partner channel?", { derive: "average", per: "month", channel: "Partner" }],
    ["mean quarterly units for SkyHook drones", { derive: "average", per: "quarter", metric: "units" }],
    [
      "How many dollars per unit did we get for the R200 in APAC?",
      { derive: "average", per: "unit", product: "ACME-R200", region: "APAC" },
    ],
    ["What did a single PowerCell P3 unit earn us on average?", { derive: "average", per: "unit", product: "ACME-P3" }],
    // top N
    ["top four regions by units in Q1", { groupBy: ["region"], limit: 4, order: "desc", metric: "units" }],
    ["bottom two channels by revenue", { groupBy: ["channel"], limit: 2, order: "asc" }],
  ])("%s", (message, expected) => {
    expect(read(message)).toMatchObject(expected);
  });

  it("leaves a question without a derived figure as extractSalesParams read it", () => {
    for (const message of ["Which region had the most revenue in Q1?", "units of the R100 in EMEA", "Were more S10s sold in Q1 or Q2?"]) {
      expect(read(message)).toEqual(extractSalesParams(message));
    }
  });

  it("turns two quarters from a breakdown into growth's two sides", () => {
    expect(extractSalesParams("revenue growth from Q1 to Q2").groupBy).toEqual(["quarter"]);
    const args = read("revenue growth from Q1 to Q2");
    expect(args).not.toHaveProperty("groupBy");
    expect(args).toMatchObject({ quarter: "2025-Q2", compareTo: "2025-Q1" });
  });

  it("a follow-up keeps the earlier turn's measure and takes its own period", () => {
    const context = "How much did EMEA revenue grow in Q2? and in Q4?";
    expect(readDerivedArgs("and in Q4?", { ...extractSalesParams(context), ...extractSalesParams("and in Q4?") }, context)).toMatchObject({
      derive: "growth",
      quarter: "2025-Q4",
      region: "EMEA",
    });
  });
});
