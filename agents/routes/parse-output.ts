import type { z } from "zod";
import { AppError } from "@/lib/errors";

/**
 * A tool's JSON output validated once against the shape its route reads; anything else is a
 * `tool_failed` observation the answer explains, never a cast that fails later.
 */
export function parseToolOutput<T>(schema: z.ZodType<T>, output: string, tool: string): T {
  let json: unknown;
  try {
    json = JSON.parse(output);
  } catch (error) {
    throw new AppError("tool_failed", `${tool} returned an unreadable result (not JSON)`, { cause: error });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new AppError("tool_failed", `${tool} returned an unreadable result`, { cause: parsed.error });
  return parsed.data;
}
