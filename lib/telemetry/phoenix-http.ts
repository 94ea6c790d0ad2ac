import { AppError } from "../errors";

/**
 * The transport both Phoenix REST clients share (spans and annotations in phoenix-client.ts,
 * datasets and experiments in phoenix-experiments.ts): the base URL, the bearer token, the
 * per-request timeout, and one way of reporting a Phoenix that cannot be reached.
 */

export interface PhoenixConnectionOptions {
  baseUrl: string;
  /** Sent as a bearer token; only needed when Phoenix runs with authentication. */
  apiKey?: string;
  /** Per request. */
  timeoutMs: number;
}

/** Query parameters; a list repeats the key, `undefined` leaves it out. */
export type PhoenixQuery = Record<string, string | number | readonly string[] | undefined>;

export interface PhoenixRequest {
  method: "GET" | "POST";
  /** Path under the base URL, with its query string if it has one (`/v1/...`). */
  route: string;
  query?: PhoenixQuery;
  /** Sent as JSON. */
  body?: unknown;
}

export class PhoenixHttp {
  readonly baseUrl: string;
  private readonly apiKey?: string;
  private readonly timeoutMs: number;

  constructor(options: PhoenixConnectionOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.apiKey = options.apiKey;
    this.timeoutMs = options.timeoutMs;
  }

  /**
   * Sends one request and reads the answer with `read`, both within the timeout. A network
   * failure or a timeout becomes `phoenix_unavailable`; HTTP statuses are left to the caller.
   */
  async exchange<T>(request: PhoenixRequest, read: (response: Response) => Promise<T>): Promise<T> {
    const { method, route, body } = request;
    const url = new URL(`${this.baseUrl}${route}`);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value === undefined) continue;
      if (typeof value === "object") for (const item of value) url.searchParams.append(key, item);
      else url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    try {
      const response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      return await read(response);
    } catch (error) {
      throw new AppError(
        "phoenix_unavailable",
        `Phoenix at ${this.baseUrl} is unreachable (${method} ${route}): ${this.whyUnreachable(error)}`,
        {
          cause: error,
        },
      );
    }
  }

  private whyUnreachable(error: unknown): string {
    if (!(error instanceof Error)) return String(error);
    if (error.name === "TimeoutError") return `no answer within ${this.timeoutMs} ms`;
    return error.cause instanceof Error ? error.cause.message : error.message;
  }
}
