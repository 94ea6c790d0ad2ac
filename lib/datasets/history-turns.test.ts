import { describe, expect, it } from "vitest";
import { historyTurns } from "./history-turns";

describe("historyTurns", () => {
  it("pairs each user message with the assistant reply after it and drops an unpaired one", () => {
    const turns = historyTurns([
      { role: "user", content: "What is the return window?" },
      { role: "assistant", content: "30 days." },
      { role: "assistant", content: "(a stray reply)" },
      { role: "user", content: "and for opened items?" },
      { role: "assistant", content: "14 days." },
      { role: "user", content: "(no reply yet)" },
    ]);
    expect(turns).toEqual([
      { user: "What is the return window?", assistant: "30 days." },
      { user: "and for opened items?", assistant: "14 days." },
    ]);
  });
});
