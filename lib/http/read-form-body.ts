import type { z } from "zod";
import { AppError } from "../errors";
import { describeZodIssues } from "../validation/zod-issues";
import { readBodyText } from "./read-body-text";

/** A small form body (application/x-www-form-urlencoded), read within `maxBytes` and validated. */
export async function readFormBody<Schema extends z.ZodType>(request: Request, schema: Schema, maxBytes = 4096): Promise<z.infer<Schema>> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
    throw new AppError("unsupported_media_type", "Send the form as application/x-www-form-urlencoded");
  }
  const fields = Object.fromEntries(new URLSearchParams(await readBodyText(request, maxBytes)));
  const parsed = schema.safeParse(fields);
  if (!parsed.success) throw new AppError("invalid_body", describeZodIssues(parsed.error).join("; "));
  return parsed.data;
}
