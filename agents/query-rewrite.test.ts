import { describe, expect, it } from "vitest";
import type { Turn } from "@/lib/sessions/session-store";
import { followUpQualifier, rewriteQuery } from "./query-rewrite";

const turns = (...users: string[]): Turn[] => users.map((user) => ({ user, assistant: "(answer)" }));

describe("rewriteQuery", () => {
  // [previous question, follow-up, the standalone question it becomes]
  const merged: [string, string, string][] = [
    // A qualifier is appended.
    ["What is the return window?", "and for opened items?", "What is the return window for opened items?"],
    ["What is the restocking fee for returns?", "and for opened items?", "What is the restocking fee for returns for opened items?"],
    [
      "How long do I have to send a drone back?",
      "and if the box was opened?",
      "How long do I have to send a drone back if the box was opened?",
    ],
    [
      "What does the standard warranty cover?",
      "what about accidental damage?",
      "What does the standard warranty cover for accidental damage?",
    ],
    ["How long does standard shipping take?", "how about express delivery?", "How long does standard shipping take for express delivery?"],
    ["Which plans include priority support?", "ok, and for universities?", "Which plans include priority support for universities?"],
    ["How many PTO days do new employees get?", "what if I work part time?", "How many PTO days do new employees get if I work part time?"],
    ["What is the expense limit for client dinners?", "and with alcohol?", "What is the expense limit for client dinners with alcohol?"],
    ["Can I get a refund on a subscription?", "and after the first month", "Can I get a refund on a subscription after the first month?"],
    [
      "What is the hotel cap on business trips?",
      "same for international travel",
      "What is the hotel cap on business trips for international travel?",
    ],
    ["What were total sales in Q3?", "how does that compare with Q2?", "What were total sales in Q3 compared with Q2?"],
    ["What was revenue in EMEA last quarter?", "vs last year?", "What was revenue in EMEA last quarter compared with last year?"],
    // A typed value replaces the previous question's value of the same kind.
    ["What were Q2 sales in EMEA?", "and in APAC?", "What were Q2 sales in APAC?"],
    ["What were Q2 sales in EMEA?", "what about Q4?", "What were Q4 sales in EMEA?"],
    ["What were Q2 sales in EMEA?", "and for Q3 in LATAM?", "What were Q3 sales in LATAM?"],
    ["How much does the Roadrunner R100 cost?", "and the R200?", "How much does the R200 cost?"],
    ["What is the battery life of the SkyHook S10?", "what about the TrackPoint T5?", "What is the battery life of the TrackPoint T5?"],
    ["How many units did we sell in March?", "and in July?", "How many units did we sell in July?"],
    ["What does error E-301 mean on a Roadrunner?", "and E-204?", "What does error E-204 mean on a Roadrunner?"],
    ["What's 15% of 1,290?", "and 20%?", "What's 20% of 1,290?"],
    ["How long does shipping to Germany take?", "and to Japan?", "How long does shipping to Japan take?"],
    ["How long does shipping to Germany take?", "what about Brazil?", "How long does shipping to Brazil take?"],
    ["What were total sales in 2025?", "and in Q1?", "What were total sales in 2025 in Q1?"],
    ["What was North America's revenue in Q1?", "and for EMEA in Q2", "What was EMEA's revenue in Q2?"],
  ];

  it.each(merged)("%s + %s → %s", (previous, followUp, standalone) => {
    expect(rewriteQuery(followUp, turns(previous))).toEqual({
      query: standalone,
      rewritten: true,
      previousQuestion: previous.replace(/\.$/, ""),
    });
  });

  // Messages that stay as they are: nothing to merge, or a question of their own.
  const unchanged: [string, string][] = [
    ["What is the return window?", "what about it?"],
    ["What were Q2 sales in EMEA?", "and for those?"],
    ["How much does the R100 cost?", "and the other one?"],
    ["How much does the R100 cost?", "how about the cheaper one"],
    ["What were Q2 sales in EMEA?", "and before that?"],
    ["What is the return window?", "thanks!"],
    ["What is the return window?", "ok great, thank you"],
    ["What is the return window?", "and what does the warranty cover?"],
    ["What is the return window?", "Does the warranty cover water damage?"],
    ["What is the return window?", "hello"],
    ["What is the return window?", "and?"],
  ];

  it.each(unchanged)("%s + %s → unchanged", (previous, message) => {
    expect(rewriteQuery(message, turns(previous))).toEqual({ query: message, rewritten: false, previousQuestion: previous });
  });

  it("leaves a first message alone", () => {
    expect(rewriteQuery("and for opened items?", [])).toEqual({ query: "and for opened items?", rewritten: false });
  });

  it("chains follow-ups: a new qualifier replaces the one the previous follow-up appended", () => {
    const history = turns("What is the return window?", "and for opened items?");
    expect(rewriteQuery("and for software?", history)).toMatchObject({
      query: "What is the return window for software?",
      previousQuestion: "What is the return window for opened items?",
    });
    expect(rewriteQuery("and in APAC?", turns("What were Q2 sales in EMEA?", "what about Q3?"))).toMatchObject({
      query: "What were Q3 sales in APAC?",
    });
  });

  it("starts afresh at a new question, and keeps the subject over a turn that only points back or says thanks", () => {
    expect(rewriteQuery("and for drones?", turns("What were Q2 sales?", "What is the return window?"))).toMatchObject({
      query: "What is the return window for drones?",
    });
    expect(rewriteQuery("and for drones?", turns("What is the return window?", "thanks!", "what about it?"))).toMatchObject({
      query: "What is the return window for drones?",
    });
  });
});

describe("followUpQualifier", () => {
  it("reads the qualifier and says whether it compares", () => {
    expect(followUpQualifier("And for opened items?")).toEqual({ text: "for opened items", compare: false });
    expect(followUpQualifier("so what about refunds then?")).toEqual({ text: "refunds", compare: false });
    expect(followUpQualifier("compared to Q1?")).toEqual({ text: "compared with Q1", compare: true });
  });

  it("is undefined for a message that does not open like a follow-up", () => {
    expect(followUpQualifier("opened items")).toBeUndefined();
    expect(followUpQualifier("What is the return window for opened items?")).toBeUndefined();
  });
});
