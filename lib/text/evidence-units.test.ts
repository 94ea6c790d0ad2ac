import { describe, expect, it } from "vitest";
import { evidenceUnits, plainMarkdown } from "./evidence-units";

describe("evidenceUnits", () => {
  it("makes headings the context of what follows instead of units", () => {
    const units = evidenceUnits(
      "# Widget W9\n\n## Key specifications\n\n- **Payload:** 40 kg on a flat deck.\n- **Speed:** 2 m/s when empty.",
    );
    expect(units).toEqual([
      { text: "Payload: 40 kg on a flat deck.", context: "Key specifications" },
      { text: "Speed: 2 m/s when empty.", context: "Key specifications" },
    ]);
  });

  it("gives a FAQ question's answer the question as context", () => {
    const units = evidenceUnits("## Can I pay by card?\n\nCards are accepted for orders up to $900. Larger orders need an invoice.");
    expect(units).toEqual([
      { text: "Cards are accepted for orders up to $900.", context: "Can I pay by card?" },
      { text: "Larger orders need an invoice.", context: "Can I pay by card?" },
    ]);
  });

  it("treats a bold question on its own line like a heading", () => {
    const units = evidenceUnits("**Do gift cards expire?**\nGift cards never expire and can be topped up.");
    expect(units).toEqual([{ text: "Gift cards never expire and can be topped up.", context: "Do gift cards expire?" }]);
  });

  it("writes table rows out against their header", () => {
    const table = "## Response times\n\n| Tier | Bronze | Gold |\n| --- | --- | --- |\n| T1 | 2 days | 4 hours |\n| T2 | 5 days | 1 day |";
    expect(evidenceUnits(table).map((u) => u.text)).toEqual(["Tier T1: Bronze 2 days; Gold 4 hours", "Tier T2: Bronze 5 days; Gold 1 day"]);
  });

  it("reads a table with a blank corner cell by its row labels", () => {
    const table = "| | Small | Large |\n| --- | --- | --- |\n| Weight | 3 kg | 9 kg |";
    expect(evidenceUnits(table).map((u) => u.text)).toEqual(["Weight: Small 3 kg; Large 9 kg"]);
  });

  it("keeps a row whose header lies in another chunk as cells, and drops short fragments", () => {
    expect(evidenceUnits("| T3 | 10 days | 2 days |\nOk.").map((u) => u.text)).toEqual(["T3 | 10 days | 2 days"]);
  });
});

describe("plainMarkdown", () => {
  it("strips bold, code ticks and links but keeps their words", () => {
    expect(plainMarkdown("See **the policy** in `returns-policy` or [the FAQ](faq.md).")).toBe(
      "See the policy in returns-policy or the FAQ.",
    );
  });
});
