import { isRecord } from "@/lib/guards";
import { streamText } from "../answer/stream-answer";
import type { ToolOutcome } from "./route";

/** A JSON object as "key: value" lines; anything else as its text. */
export function describeOutput(output: string): string {
  let json: unknown;
  try {
    json = JSON.parse(output);
  } catch {
    return output;
  }
  if (!isRecord(json)) return typeof json === "string" ? json : output;
  return Object.entries(json)
    .map(([key, value]) => `${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join("\n");
}

/**
 * What a route without its own `readOutput` does with its tool's output: shows it in the step
 * and gives it as the answer, assembled in code (a small model would garble figures it copies).
 */
export function genericOutcome(output: string): ToolOutcome {
  const text = describeOutput(output);
  return { summary: output, answer: (context) => Promise.resolve(streamText(text, context.out)) };
}
