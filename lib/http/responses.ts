import { AppError, errorBody, toAppError } from "../errors";

/** The JSON error response of every API route: `{ error: { code, message } }`. */
export function errorResponse(error: unknown): Response {
  const appError = toAppError(error);
  if (appError.status >= 500 && appError.code === "internal") {
    // Unexpected: keep the detail in the server log, not in the response.
    console.error(appError.cause ?? appError);
    return Response.json(errorBody(new AppError("internal", "Internal error")), { status: 500 });
  }
  return Response.json(errorBody(appError), { status: appError.status });
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
