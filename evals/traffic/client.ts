import { z } from "zod";

/**
 * The app's HTTP API as a user's browser uses it (DESIGN.md, agents/contract.ts):
 * `POST /api/chat` (JSON mode), `POST /api/feedback`, `GET /api/health`. Every failure comes
 * back as a value with a code, never as a thrown error: the server's own `{ error: { code } }`,
 * or `timeout`, `unreachable`, `bad_response`, `http_<status>` when there is none.
 */

export interface RequestError {
  code: string;
  /** HTTP status, when the server answered. */
  status?: number;
  message: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: RequestError };

export interface ChatReply {
  answer: string;
  traceId: string;
  sessionId: string;
  /** The route from the agent's route step, when there is one. */
  route?: string;
  sources: number;
}

export type Health =
  | { reachable: false; error: RequestError }
  | { reachable: true; status: number; ready: boolean; missing: string[]; tracing?: { enabled: boolean; log?: string; phoenix?: string } };

export interface TrafficClient {
  readonly baseUrl: string;
  health(): Promise<Health>;
  /** One turn; `sessionId` is the one the server issued with an earlier answer (none: a new session). */
  chat(message: string, sessionId: string | undefined): Promise<Outcome<ChatReply>>;
  feedback(traceId: string, score: 0 | 1, comment?: string): Promise<Outcome<void>>;
}

export interface ClientOptions {
  baseUrl: string;
  /** Per request. */
  timeoutMs: number;
  /** Ends requests in flight (Ctrl-C). */
  signal?: AbortSignal;
  fetch?: typeof fetch;
  /** Sent with every chat request (fault injection on a test server). */
  chatHeaders?: Record<string, string>;
}

const HEALTH_TIMEOUT_MS = 15_000;

const chatReplySchema = z.looseObject({
  answer: z.string(),
  traceId: z.string(),
  sessionId: z.string(),
  sources: z.array(z.unknown()),
  steps: z.array(z.looseObject({ type: z.string(), route: z.string().optional() })),
});

const errorBodySchema = z.looseObject({ error: z.looseObject({ code: z.string(), message: z.string().optional() }) });

const healthSchema = z.looseObject({
  ready: z.boolean(),
  missing: z.array(z.string()).default([]),
  tracing: z
    .looseObject({
      enabled: z.boolean(),
      log: z.string().optional(),
      phoenix: z.looseObject({ endpoint: z.string().optional() }).optional(),
    })
    .optional(),
});

function failureOf(error: unknown): RequestError {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === "TimeoutError") return { code: "timeout", message: "no answer within the request timeout" };
  if (e?.name === "AbortError") return { code: "aborted", message: "stopped" };
  const cause = e?.cause?.code ?? e?.cause?.message;
  return { code: "unreachable", message: `${e?.message ?? String(error)}${cause ? ` (${cause})` : ""}` };
}

async function errorFrom(response: Response): Promise<RequestError> {
  const text = await response.text().catch(() => "");
  try {
    const body = errorBodySchema.parse(JSON.parse(text));
    return { code: body.error.code, status: response.status, message: body.error.message ?? "" };
  } catch {
    return { code: `http_${response.status}`, status: response.status, message: text.slice(0, 200) || response.statusText };
  }
}

/** GET /api/health's answer, or `bad_response` when it is not this app's. */
async function healthFrom(response: Response): Promise<Health> {
  try {
    const body = healthSchema.parse(await response.json());
    return {
      reachable: true,
      status: response.status,
      ready: response.ok && body.ready,
      missing: body.missing,
      ...(body.tracing
        ? { tracing: { enabled: body.tracing.enabled, log: body.tracing.log, phoenix: body.tracing.phoenix?.endpoint } }
        : {}),
    };
  } catch {
    return {
      reachable: false,
      error: {
        code: "bad_response",
        status: response.status,
        message: `GET /api/health did not answer like this app (HTTP ${response.status})`,
      },
    };
  }
}

/** POST /api/chat's JSON reply, or the error: the server's own, a timeout while reading, or `bad_response`. */
async function chatReplyFrom(response: Response): Promise<Outcome<ChatReply>> {
  if (!response.ok) return { ok: false, error: await errorFrom(response) };
  try {
    const body = chatReplySchema.parse(await response.json());
    const route = body.steps.find((s) => s.type === "route")?.route;
    return {
      ok: true,
      value: {
        answer: body.answer,
        traceId: body.traceId,
        sessionId: body.sessionId,
        sources: body.sources.length,
        ...(route ? { route } : {}),
      },
    };
  } catch (error) {
    const failure = failureOf(error);
    if (failure.code === "timeout" || failure.code === "aborted") return { ok: false, error: failure };
    return {
      ok: false,
      error: {
        code: "bad_response",
        status: response.status,
        message: "the chat reply is not { answer, sources, steps, traceId, sessionId }",
      },
    };
  }
}

export function createTrafficClient(options: ClientOptions): TrafficClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;
  const signal = (timeoutMs: number) =>
    options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);

  async function request(pathname: string, init: RequestInit, timeoutMs = options.timeoutMs): Promise<Outcome<Response>> {
    try {
      return { ok: true, value: await doFetch(`${baseUrl}${pathname}`, { ...init, signal: signal(timeoutMs) }) };
    } catch (error) {
      return { ok: false, error: failureOf(error) };
    }
  }

  function postJson(pathname: string, body: unknown, headers: Record<string, string> = {}): Promise<Outcome<Response>> {
    return request(pathname, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...headers },
      body: JSON.stringify(body),
    });
  }

  return {
    baseUrl,
    async health() {
      // Health reads no model: it answers at once or the app is not there.
      const sent = await request(
        "/api/health",
        { headers: { accept: "application/json" } },
        Math.min(options.timeoutMs, HEALTH_TIMEOUT_MS),
      );
      return sent.ok ? healthFrom(sent.value) : { reachable: false, error: sent.error };
    },

    async chat(message, sessionId) {
      const sent = await postJson("/api/chat", { message, ...(sessionId ? { sessionId } : {}) }, options.chatHeaders);
      return sent.ok ? chatReplyFrom(sent.value) : sent;
    },

    async feedback(traceId, score, comment) {
      const sent = await postJson("/api/feedback", { traceId, score, ...(comment ? { comment } : {}) });
      if (!sent.ok) return sent;
      const response = sent.value;
      if (response.status !== 201) return { ok: false, error: await errorFrom(response) };
      await response.body?.cancel().catch(() => undefined);
      return { ok: true, value: undefined };
    },
  };
}
