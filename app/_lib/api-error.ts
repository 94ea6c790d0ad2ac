import { isRecord } from "@/lib/guards";
import { isErrorCode, type ErrorInfo } from "@/lib/errors";

/** An error as the pages show it: the app's own (lib/errors.ts), or one the browser met on the way to it. */
export type ShownError = ErrorInfo | { code: "network_error" | "http_error" | `${number}`; message: string };

/**
 * The app's error from a failed response's body (`{ error: { code, message } }`, as
 * lib/http/responses.ts writes it); undefined when the body is anything else, such as a
 * proxy's HTML page, so the caller can say what it knows instead.
 */
export async function appErrorOf(response: Response): Promise<ErrorInfo | undefined> {
  const body: unknown = await response.json().catch(() => null);
  const error = isRecord(body) ? body.error : undefined;
  if (!isRecord(error) || typeof error.code !== "string" || typeof error.message !== "string" || !isErrorCode(error.code)) return undefined;
  return { code: error.code, message: error.message };
}
