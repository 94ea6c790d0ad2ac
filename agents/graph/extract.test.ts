import { describe, expect, it } from "vitest";
import { extractCodeTask, extractExpression, extractSalesParams } from "./extract";

describe("extractExpression", () => {
  it.each([
    ["What is 17.5% of 2,340?", "17.5% of 2,340"],
    ["(1200-350)*1.08", "(1200-350)*1.08"],
    ["24500 * 0.8 = ?", "24500 * 0.8"],
    ["divide 32,437,875 by 4", "32,437,875 / 4"],
    ["what's the square root of 1764", "sqrt(1764)"],
  ])("%s → %s", (message, expression) => {
    expect(extractExpression(message)).toBe(expression);
  });
  it("leaves messages without arithmetic to the model", () => {
    expect(extractExpression("compute the answer for me")).toBeUndefined();
    expect(extractExpression("What is the price of the R100?")).toBeUndefined();
  });
});

describe("extractSalesParams", () => {
  it.each([
    [
      "Which region had the highest revenue in Q2?",
      { metric: "revenue", quarter: "2025-Q2", groupBy: ["region"], order: "desc", limit: 1 },
    ],
    ["How many R100 units did we sell in EMEA in Q2?", { metric: "units", quarter: "2025-Q2", region: "EMEA", product: "ACME-R100" }],
    ["Revenue by channel for December 2025", { metric: "revenue", month: "2025-12", groupBy: ["channel"], order: "desc" }],
    [
      "top 3 products by revenue in North America",
      { metric: "revenue", region: "North America", groupBy: ["product"], order: "desc", limit: 3 },
    ],
    ["What were Q3 sales for ACME Corp?", { metric: "revenue", quarter: "2025-Q3" }],
  ])("%s", (message, params) => {
    expect(extractSalesParams(message)).toEqual(params);
  });
});

describe("extractCodeTask", () => {
  it("takes pasted code and leaves writing code to the model", () => {
    expect(extractCodeTask("write a function that returns the nth Fibonacci number and test it")).toBeUndefined();
    expect(extractCodeTask("run this:\n```js\nconsole.log(1)\n```")).toEqual({ code: "console.log(1)", tests: [] });
    expect(extractCodeTask("write a function that sorts users by age")).toBeUndefined();
  });
});

describe("cleanExpression", () => {
  it("drops the model's guessed result", async () => {
    const { cleanExpression } = await import("../routes/calculator");
    expect(cleanExpression({ expression: "3 * 24,500 = 72,500" })).toEqual({ expression: "3 * 24,500" });
    expect(cleanExpression({ expression: "2 + 2" })).toEqual({ expression: "2 + 2" });
  });
});
