import type { z } from "zod";
import { AppError } from "../errors";
import { describeZodIssues } from "../validation/zod-issues";
import { MAX_BODY_BYTES, readBodyText } from "./read-body-text";

/** Reads a request body as JSON and validates it, in that order, within `maxBytes` (see readBodyText). */
export async function readJsonBody<Schema extends z.ZodType>(
  request: Request,
  schema: Schema,
  maxBytes = MAX_BODY_BYTES,
): Promise<z.infer<Schema>> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(contentType)) {
    throw new AppError("unsupported_media_type", "Send the body as JSON with Content-Type: application/json");
  }
  const text = await readBodyText(request, maxBytes);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError("invalid_json", "The request body is not valid JSON");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new AppError("invalid_body", describeZodIssues(parsed.error).join("; "));
  }
  return parsed.data;
}
