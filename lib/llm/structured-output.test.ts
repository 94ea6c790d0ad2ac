import { describe, expect, it } from "vitest";
import { z } from "zod";
import { resolveStructuredSchema, toGrammarJsonSchema } from "./structured-output";

describe("toGrammarJsonSchema", () => {
  it("reduces a zod object schema to the grammar subset", () => {
    const schema = z.object({
      route: z.enum(["a", "b"]).describe("where to go"),
      confidence: z.number().min(0).max(1),
      note: z.string().nullable(),
      tags: z.array(z.string()).max(3),
      count: z.number().int(),
    });
    const grammar = toGrammarJsonSchema(z.toJSONSchema(schema));
    expect(grammar).not.toHaveProperty("$schema");
    expect(grammar).toMatchObject({
      type: "object",
      additionalProperties: false,
      required: ["route", "confidence", "note", "tags", "count"],
      properties: {
        route: { enum: ["a", "b"], description: "where to go" },
        note: { type: ["string", "null"] },
        tags: { type: "array", items: { type: "string" }, maxItems: 3 },
        count: { type: "integer" },
      },
    });
    const confidence = (grammar.properties as Record<string, { enum: number[] }>).confidence ?? { enum: [] };
    expect(confidence.enum).toHaveLength(101);
    expect(confidence.enum[0]).toBe(0);
    expect(confidence.enum.at(-1)).toBe(1);
    expect(confidence.enum).toContain(0.07);
  });

  it("enumerates small integer ranges exactly", () => {
    expect(toGrammarJsonSchema({ type: "integer", minimum: 1, maximum: 5 })).toEqual({ enum: [1, 2, 3, 4, 5] });
    expect(toGrammarJsonSchema({ type: "integer", minimum: 0, maximum: 100_000 })).toEqual({ type: "integer" });
  });

  it("refuses constructs a grammar cannot express", () => {
    expect(() => toGrammarJsonSchema({ allOf: [{ type: "string" }] })).toThrow(/allOf/);
    expect(() => toGrammarJsonSchema({})).toThrow();
  });
});

describe("resolveStructuredSchema", () => {
  it("parses and validates with zod", () => {
    const resolved = resolveStructuredSchema(z.object({ n: z.number().max(3) }), "n");
    expect(resolved.request.name).toBe("n");
    expect(resolved.parse('{"n": 2}')).toEqual({ n: 2 });
    expect(() => resolved.parse('{"n": 5}')).toThrow(/does not match/);
    expect(() => resolved.parse("{")).toThrow(/not valid JSON/);
  });

  it("accepts a plain JSON schema", () => {
    const resolved = resolveStructuredSchema({ title: "thing", type: "object", properties: { a: { type: "string" } } });
    expect(resolved.request.name).toBe("thing");
    expect(resolved.parse('{"a":"x"}')).toEqual({ a: "x" });
  });
});
