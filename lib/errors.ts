/**
 * Errors are values with a code a user (or a caller) can act on. The HTTP layer maps the
 * code to a status; CLIs print the code and message and choose their exit status by the
 * category; nothing string-matches messages.
 *
 * Categories (as promptfoo's failure reasons and OpenTelemetry's export results do):
 * - `request`: the caller sent something wrong; fix the request (4xx);
 * - `setup`: the operator must run a command or fix the configuration (a model, the index,
 *   a dataset file); retrying as is will fail the same way;
 * - `runtime`: something failed while working (a tool, a model call, a neighbour service).
 */
export type ErrorCategory = "request" | "setup" | "runtime";

const ERRORS = {
  // request problems
  bad_request: { status: 400, category: "request" },
  invalid_json: { status: 400, category: "request" },
  invalid_body: { status: 400, category: "request" },
  unsupported_media_type: { status: 415, category: "request" },
  payload_too_large: { status: 413, category: "request" },
  not_acceptable: { status: 406, category: "request" },
  not_found: { status: 404, category: "request" },
  unauthorized: { status: 401, category: "request" },
  forbidden: { status: 403, category: "request" },
  trace_not_found: { status: 404, category: "request" },
  candidate_not_found: { status: 404, category: "request" },
  candidate_decided: { status: 409, category: "request" },
  // setup problems: the operator must run a command or fix a file
  config_invalid: { status: 500, category: "setup" },
  model_missing: { status: 503, category: "setup" },
  model_checksum_mismatch: { status: 500, category: "setup" },
  model_download_failed: { status: 502, category: "setup" },
  index_missing: { status: 503, category: "setup" },
  corpus_invalid: { status: 500, category: "setup" },
  phoenix_install_failed: { status: 500, category: "setup" },
  llm_server_install_failed: { status: 500, category: "setup" },
  llm_server_unavailable: { status: 503, category: "setup" },
  postgres_install_failed: { status: 500, category: "setup" },
  postgres_start_failed: { status: 503, category: "setup" },
  benchmark_missing: { status: 503, category: "setup" },
  benchmark_invalid: { status: 500, category: "setup" },
  review_disabled: { status: 403, category: "setup" },
  review_queue_invalid: { status: 500, category: "setup" },
  dataset_invalid: { status: 500, category: "setup" },
  tracing_off: { status: 503, category: "setup" },
  // Phoenix (the trace UI and its REST API): an optional neighbour, never the app's own state
  phoenix_unavailable: { status: 503, category: "runtime" },
  phoenix_request_failed: { status: 502, category: "runtime" },
  phoenix_project_not_found: { status: 404, category: "runtime" },
  phoenix_span_not_found: { status: 404, category: "runtime" },
  // tools the model drives: their errors go back to the agent as observations
  tool_input_invalid: { status: 422, category: "runtime" },
  tool_timeout: { status: 504, category: "runtime" },
  tool_resource_limit: { status: 507, category: "runtime" },
  tool_failed: { status: 500, category: "runtime" },
  // runtime problems
  trace_log_failed: { status: 500, category: "runtime" },
  // DATABASE_URL's PostgreSQL: down, unreachable or refusing; replicas retry on the next request
  database_unavailable: { status: 503, category: "runtime" },
  trace_not_logged: { status: 503, category: "runtime" },
  resource_busy: { status: 409, category: "runtime" },
  embedding_failed: { status: 500, category: "runtime" },
  llm_failed: { status: 502, category: "runtime" },
  // the chat model's server: rate limiting (retry later, after its Retry-After), or no answer within OPENAI_TIMEOUT_MS
  llm_rate_limited: { status: 503, category: "runtime" },
  llm_timeout: { status: 504, category: "runtime" },
  aborted: { status: 499, category: "runtime" },
  // capacity: the server is full or the turn ran out of time; retrying later may work
  overloaded: { status: 503, category: "runtime" },
  turn_deadline: { status: 504, category: "runtime" },
  internal: { status: 500, category: "runtime" },
} as const satisfies Record<string, { status: number; category: ErrorCategory }>;

export type ErrorCode = keyof typeof ERRORS;

/** The shape every error takes on the wire, in events, observations and reports. */
export interface ErrorInfo {
  code: ErrorCode;
  message: string;
}

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERRORS, value);
}

export function errorCategory(code: ErrorCode): ErrorCategory {
  return ERRORS[code].category;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly category: ErrorCategory;
  /** When a retry may succeed (overload): sent as the response's Retry-After. */
  readonly retryAfterSeconds?: number;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; retryAfterSeconds?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.status = ERRORS[code].status;
    this.category = ERRORS[code].category;
    if (options?.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }

  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message };
  }
}

export interface ErrorBody {
  error: ErrorInfo;
}

/** Normalises anything thrown into an AppError without leaking stack traces to clients. */
export function toAppError(error: unknown, fallback: ErrorCode = "internal"): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof Error && error.name === "AbortError") return new AppError("aborted", "The request was aborted");
  const message = error instanceof Error ? error.message : String(error);
  return new AppError(fallback, message, { cause: error });
}
