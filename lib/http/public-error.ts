import { type ErrorInfo, toAppError } from "../errors";
import { withoutLocalPaths } from "../text/local-paths";

/**
 * What a client is shown of an error, on every way out (JSON error bodies, the stream's
 * `error` event, a failed tool step): the code and a message, never a stack. An unexpected
 * failure says only that (its detail goes to the server log); any other message keeps what a
 * user can act on with the machine's folders taken out.
 */
export function publicErrorInfo(error: unknown): ErrorInfo {
  const appError = toAppError(error);
  if (appError.code === "internal") {
    console.error(appError.cause ?? appError);
    return { code: "internal", message: "Internal error" };
  }
  return { code: appError.code, message: withoutLocalPaths(appError.message) };
}
