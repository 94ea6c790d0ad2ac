import { describe, expect, it } from "vitest";
import { truncate } from "./truncate";

describe("truncate", () => {
  it("leaves short text alone", () => expect(truncate("short", 10)).toBe("short"));
  it("cuts to max characters including the ellipsis", () => expect(truncate("abcdefghij", 5)).toBe("abcd…"));
  it("cuts at a word boundary when asked", () => {
    expect(truncate("the quick brown fox jumps", 18, { atWord: true })).toBe("the quick brown…");
    expect(truncate("the quick brown fox jumps", 18)).toBe("the quick brown f…");
  });
  it("at a word: keeps short text and cuts long text within max", () => {
    expect(truncate("short", 10, { atWord: true })).toBe("short");
    const cut = truncate("one two three four five six", 15, { atWord: true });
    expect(cut.length).toBeLessThanOrEqual(15);
    expect(cut).toBe("one two three…");
  });
});
