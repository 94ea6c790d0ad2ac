import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { calculate } from "../calculate";
import { phraseToExpression } from "./phrase-to-expression";

/**
 * The calculator's front end on arithmetic as people phrase it: 110 phrasings written for
 * this purpose (never taken from the eval datasets), split dev/test by kind. The grammar was
 * developed against the dev half; the test half is the published figure (goal: at least 90 %).
 */
const phrasingSchema = z.array(
  z.strictObject({ id: z.string(), kind: z.string(), message: z.string(), expected: z.string(), split: z.enum(["dev", "test"]) }),
);
const phrasings = phrasingSchema.parse(JSON.parse(fs.readFileSync(new URL("./phrasings.json", import.meta.url), "utf8")));

function outcome(p: (typeof phrasings)[number]): { ok: boolean; got: string } {
  const expression = phraseToExpression(p.message);
  if (expression === undefined) return { ok: false, got: "(no expression)" };
  const result = Number(calculate(expression).result);
  const expected = Number(p.expected);
  return { ok: Math.abs(result - expected) <= 1e-6 * Math.max(1, Math.abs(expected)), got: `${expression} = ${result}` };
}

const accuracy = (split: "dev" | "test") => {
  const half = phrasings.filter((p) => p.split === split);
  const results = half.map((p) => ({ p, ...outcome(p) }));
  return {
    accuracy: results.filter((r) => r.ok).length / half.length,
    wrong: results.filter((r) => !r.ok).map((r) => `${r.p.id} ${JSON.stringify(r.p.message)} → ${r.got}, expected ${r.p.expected}`),
  };
};

describe("arithmetic as people write it", () => {
  it("has 100+ phrasings split dev/test", () => {
    expect(phrasings.length).toBeGreaterThanOrEqual(100);
    expect(phrasings.filter((p) => p.split === "test").length).toBeGreaterThanOrEqual(50);
  });

  it("gets at least 90 % of the test half right", () => {
    const { accuracy: testAccuracy, wrong } = accuracy("test");
    console.log(`calculator phrasings: dev ${(100 * accuracy("dev").accuracy).toFixed(1)} %, test ${(100 * testAccuracy).toFixed(1)} %`);
    expect(testAccuracy, wrong.join("\n")).toBeGreaterThanOrEqual(0.9);
  });

  it("finds nothing to compute where there is no arithmetic", () => {
    for (const message of ["What is the price of the R100?", "compute the answer for me", "How do I return a product?", "42"]) {
      expect(phraseToExpression(message), message).toBeUndefined();
    }
  });
});
