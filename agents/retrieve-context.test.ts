import { describe, expect, it } from "vitest";
import type { Turn } from "@/lib/sessions/session-store";
import { askedQuestion, evidenceQuery } from "./retrieve-context";

const after = (user: string): Turn[] => [{ user, assistant: "(answer)" }];

describe("the questions a turn stands for", () => {
  it("a first message is its own evidence query and question", () => {
    expect(evidenceQuery("What is the return window?", [])).toBe("What is the return window?");
    expect(askedQuestion("What is the return window?", [])).toBe("What is the return window?");
  });

  it("a follow-up the rules rewrite asks the standalone question, and evidence is chosen by it", () => {
    const history = after("What is the battery life of the SkyHook S10?");
    expect(askedQuestion("what about the TrackPoint T5?", history)).toBe("What is the battery life of the TrackPoint T5?");
    expect(evidenceQuery("what about the TrackPoint T5?", history)).toBe("What is the battery life of the TrackPoint T5?");
  });

  it("a message the rules leave alone asks only itself, while evidence is still chosen with the previous question", () => {
    const history = after("Is the office open on weekends?");
    expect(askedQuestion("Does the warranty cover water damage?", history)).toBe("Does the warranty cover water damage?");
    expect(evidenceQuery("Does the warranty cover water damage?", history)).toBe(
      "Is the office open on weekends?\nDoes the warranty cover water damage?",
    );
  });
});
