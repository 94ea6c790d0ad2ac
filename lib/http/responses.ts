import { AppError, type ErrorBody, toAppError } from "../errors";
import { publicErrorInfo } from "./public-error";

/** The JSON error response of every API route: `{ error: { code, message } }`, as a client may see it. */
export function errorResponse(error: unknown): Response {
  const appError = toAppError(error);
  const body: ErrorBody = { error: publicErrorInfo(appError) };
  const headers: Record<string, string> =
    appError.retryAfterSeconds === undefined ? {} : { "retry-after": String(appError.retryAfterSeconds) };
  return Response.json(body, { status: appError.status, headers });
}

export type ResponseMode = "event-stream" | "json";

/** Picks the response format from Accept; no header or a wildcard means JSON. */
export function negotiateResponseMode(accept: string | null): ResponseMode {
  const types = (accept ?? "")
    .split(",")
    .map((part) => part.split(";")[0]?.trim().toLowerCase())
    .filter((type): type is string => Boolean(type));
  if (types.length === 0) return "json";
  if (types.includes("text/event-stream")) return "event-stream";
  if (types.some((type) => type === "application/json" || type === "*/*" || type === "application/*")) return "json";
  throw new AppError("not_acceptable", "Accept text/event-stream or application/json");
}
