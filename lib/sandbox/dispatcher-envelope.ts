import type ivm from "isolated-vm";
import { z } from "zod";
import type { ErrorInfo } from "@/lib/errors";

/**
 * The one thing that crosses from the isolate to the host: the JSON envelope string the
 * in-isolate dispatcher (see `./prelude`) returns for each command, checked here before use.
 */

/** Max characters of the completion value (`result`) handed back. */
export const MAX_RESULT_CHARS = 4096;
/** Max characters of an error or assertion message handed back. */
export const MAX_MESSAGE_CHARS = 1000;

const ENVELOPE_MAX_CHARS = MAX_RESULT_CHARS + 2 * MAX_MESSAGE_CHARS + 1000;

const envelopeSchema = z.discriminatedUnion("status", [
  z.object({
    status: z.literal("ok"),
    value: z.string().optional(),
    undefined: z.literal(true).optional(),
    truncated: z.literal(true).optional(),
  }),
  z.object({ status: z.literal("error"), name: z.string(), message: z.string() }),
  z.object({ status: z.literal("pending") }),
]);
export type Envelope = z.infer<typeof envelopeSchema>;
export type Aborted = { status: "abort"; error: ErrorInfo };

/** The dispatcher inside the isolate: `(command, source) => envelope`. */
export type Dispatcher = ivm.Reference<(command: string, source: string) => string>;

export function parseEnvelope(value: unknown): Envelope | Aborted {
  const malformed: Aborted = {
    status: "abort",
    error: { code: "tool_failed", message: "The sandbox returned a malformed result" },
  };
  if (typeof value !== "string" || value.length > ENVELOPE_MAX_CHARS) return malformed;
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return malformed;
  }
  const parsed = envelopeSchema.safeParse(json);
  return parsed.success ? parsed.data : malformed;
}
