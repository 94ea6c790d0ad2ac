import type { z } from "zod";
import { describeZodIssues } from "./zod-issues";

/**
 * The values of JSONL text, one per non-blank line, each validated by `schema`; all or
 * nothing: the first bad line throws the error `fail` makes of its 1-based number and the
 * problem (invalid JSON, or the schema's complaints), so each file kind keeps its own typed error.
 */
export function parseJsonlLines<S extends z.ZodType>(
  text: string,
  schema: S,
  fail: (line: number, problem: string, cause: unknown) => Error,
): { line: number; value: z.infer<S> }[] {
  const values: { line: number; value: z.infer<S> }[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    if (raw.trim() === "") continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      throw fail(index + 1, `invalid JSON: ${error instanceof Error ? error.message : String(error)}`, error);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw fail(index + 1, describeZodIssues(parsed.error).join("; "), parsed.error);
    values.push({ line: index + 1, value: parsed.data });
  }
  return values;
}
