/**
 * Errors are values with a code a user (or a caller) can act on. The HTTP layer maps
 * the code to a status; CLIs print the code and message; nothing string-matches messages.
 */
export const ERROR_STATUS = {
  // request problems (4xx)
  bad_request: 400,
  invalid_json: 400,
  invalid_body: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  not_acceptable: 406,
  not_found: 404,
  // setup problems: the operator must run a command
  config_invalid: 500,
  model_missing: 503,
  model_checksum_mismatch: 500,
  model_download_failed: 502,
  index_missing: 503,
  corpus_invalid: 500,
  phoenix_install_failed: 500,
  // Phoenix (the trace UI and its REST API): an optional neighbour, never the app's own state
  phoenix_unavailable: 503,
  phoenix_request_failed: 502,
  phoenix_project_not_found: 404,
  phoenix_span_not_found: 404,
  // tools the model drives: their errors go back to the agent as observations
  tool_input_invalid: 422,
  tool_timeout: 504,
  tool_resource_limit: 507,
  tool_failed: 500,
  // the production trace log (lib/telemetry/trace-log)
  trace_not_found: 404,
  trace_log_failed: 500,
  tracing_off: 503,
  // eval judges measured on labeled benchmarks (evals/judges)
  benchmark_missing: 503,
  benchmark_invalid: 500,
  // curation and review (lib/curation, /review)
  unauthorized: 401,
  forbidden: 403,
  review_disabled: 403,
  candidate_not_found: 404,
  candidate_decided: 409,
  review_queue_invalid: 500,
  dataset_invalid: 500,
  // runtime problems
  embedding_failed: 500,
  llm_failed: 502,
  aborted: 499,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "AppError";
    this.code = code;
    this.status = ERROR_STATUS[code];
  }
}

export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

/** Normalises anything thrown into an AppError without leaking stack traces to clients. */
export function toAppError(error: unknown, fallback: ErrorCode = "internal"): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof Error && error.name === "AbortError") return new AppError("aborted", "The request was aborted");
  const message = error instanceof Error ? error.message : String(error);
  return new AppError(fallback, message, { cause: error });
}

export function errorBody(error: AppError): ErrorBody {
  return { error: { code: error.code, message: error.message } };
}
