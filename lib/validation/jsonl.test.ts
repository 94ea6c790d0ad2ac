import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseJsonlLines } from "./jsonl";

const schema = z.strictObject({ id: z.string(), n: z.number() });
const fail = (line: number, problem: string) => new Error(`line ${line}: ${problem}`);

describe("parseJsonlLines", () => {
  it("returns each valid line's value with its 1-based number, skipping blank lines", () => {
    expect(parseJsonlLines('{"id":"a","n":1}\n\n  \r\n{"id":"b","n":2}\n', schema, fail)).toEqual([
      { line: 1, value: { id: "a", n: 1 } },
      { line: 4, value: { id: "b", n: 2 } },
    ]);
  });

  it("throws the caller's error for the first line that is not JSON", () => {
    expect(() => parseJsonlLines('{"id":"a","n":1}\n{oops', schema, fail)).toThrow(/^line 2: invalid JSON/);
  });

  it("throws the caller's error with the schema's complaints", () => {
    expect(() => parseJsonlLines('{"id":"a","n":"one"}', schema, fail)).toThrow(/^line 1: n: .*number/);
  });
});
