import { z } from "zod";
import { SseParser } from "@/lib/http/sse";

/**
 * The chat API as the chaos scenarios drive it: one turn in JSON or stream mode, timed, and
 * every way it can end kept as a value (a status, a refusal's Retry-After, a stream's error
 * event, a timeout, a dropped connection, the client's own abort), never thrown.
 */

export type ChatMode = "json" | "stream";

export interface TurnResult {
  /** The HTTP status, when the server answered. */
  status?: number;
  /** No (complete) answer: the client's timeout passed, or the connection failed. */
  failure?: "timeout" | "network";
  /** The caller cut the request off on purpose (the disconnect storm). */
  aborted: boolean;
  ms: number;
  retryAfter?: string;
  /** The code of a refusal's error body, or of a stream's `error` event. */
  errorCode?: string;
  sessionId?: string;
  traceId?: string;
  route?: string;
  /** What each tool run returned (the sandbox scenario reads run_code's). */
  toolOutputs: { tool: string; output: string }[];
  /** Stream events received. */
  events: number;
}

/** How a turn ended, as one key for counting: the status, or `timeout`, `network`, `aborted`. */
export function outcomeKey(turn: TurnResult): string {
  if (turn.aborted) return "aborted";
  return turn.failure ?? String(turn.status);
}

const stepSchema = z.looseObject({
  type: z.string(),
  route: z.string().optional(),
  tool: z.string().optional(),
  output: z.string().optional(),
});
const resultSchema = z.looseObject({ traceId: z.string(), sessionId: z.string(), steps: z.array(stepSchema) });
const eventSchema = z.looseObject({
  type: z.string(),
  traceId: z.string().optional(),
  sessionId: z.string().optional(),
  code: z.string().optional(),
  step: stepSchema.optional(),
});
export type StreamEvent = z.infer<typeof eventSchema>;
const errorBodySchema = z.looseObject({ error: z.looseObject({ code: z.string() }) });

function absorbStep(turn: TurnResult, step: z.infer<typeof stepSchema>): void {
  if (step.type === "route" && step.route) turn.route = step.route;
  if (step.type === "tool_end" && step.tool) turn.toolOutputs.push({ tool: step.tool, output: step.output ?? "" });
}

/** The error code of a refusal's body, or `http_<status>` when it is not the app's error shape. */
function errorCodeOf(text: string, status: number): string {
  try {
    return errorBodySchema.parse(JSON.parse(text)).error.code;
  } catch {
    return `http_${status}`;
  }
}

async function readStream(response: Response, turn: TurnResult, onEvent?: (event: StreamEvent, count: number) => void): Promise<void> {
  const parser = new SseParser();
  const decoder = new TextDecoder();
  const reader = response.body?.getReader();
  for (let chunk = await reader?.read(); chunk && !chunk.done; chunk = await reader?.read()) {
    for (const raw of parser.push(decoder.decode(chunk.value, { stream: true }))) {
      const event = eventSchema.parse(raw);
      turn.events++;
      if (event.type === "trace") Object.assign(turn, { traceId: event.traceId, sessionId: event.sessionId });
      if (event.type === "error") turn.errorCode = event.code ?? "error";
      if (event.type === "step" && event.step) absorbStep(turn, event.step);
      onEvent?.(event, turn.events);
      if (event.type === "done") {
        await reader?.cancel();
        return;
      }
    }
  }
  // The body ended without `done`: the server dropped the stream.
  turn.failure = "network";
}

export interface TurnOptions {
  /** The client gives up after this long (a `timeout`). */
  timeoutMs: number;
  /** Cuts the request off (an `aborted` turn). */
  signal?: AbortSignal;
  /** Each stream event as it arrives (to cut a stream off mid-answer). */
  onEvent?: (event: StreamEvent, count: number) => void;
}

/** One `POST /api/chat`; `sessionId` is the one the server issued with an earlier answer. */
export async function chatTurn(
  baseUrl: string,
  message: string,
  sessionId: string | undefined,
  mode: ChatMode,
  options: TurnOptions,
): Promise<TurnResult> {
  const started = performance.now();
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const turn: TurnResult = { aborted: false, ms: 0, toolOutputs: [], events: 0 };
  try {
    const response = await fetch(`${baseUrl}/api/chat`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: mode === "stream" ? "text/event-stream" : "application/json" },
      body: JSON.stringify({ message, ...(sessionId ? { sessionId } : {}) }),
      signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
    });
    turn.status = response.status;
    const retryAfter = response.headers.get("retry-after");
    if (retryAfter !== null) turn.retryAfter = retryAfter;
    if (!response.ok) turn.errorCode = errorCodeOf(await response.text(), response.status);
    else if (mode === "stream") await readStream(response, turn, options.onEvent);
    else {
      const result = resultSchema.parse(await response.json());
      Object.assign(turn, { traceId: result.traceId, sessionId: result.sessionId });
      for (const step of result.steps) absorbStep(turn, step);
    }
  } catch {
    if (options.signal?.aborted) turn.aborted = true;
    else turn.failure = timeout.aborted ? "timeout" : "network";
  }
  turn.ms = performance.now() - started;
  return turn;
}

const healthSchema = z.looseObject({
  ready: z.boolean(),
  load: z.object({ running: z.number(), queued: z.number() }).optional(),
  tracing: z.looseObject({
    enabled: z.boolean(),
    phoenix: z.looseObject({ exported: z.number(), dropped: z.number(), lastError: z.string().optional() }).optional(),
    logWrites: z.looseObject({ written: z.number(), dropped: z.number(), lastError: z.string().optional() }).optional(),
  }),
});
export type HealthBody = z.infer<typeof healthSchema>;

/** `GET /api/health`, detailed when the admin token is given; `status` 0 when nothing answered. */
export async function getHealth(baseUrl: string, adminToken?: string): Promise<{ status: number; body?: HealthBody }> {
  try {
    const response = await fetch(`${baseUrl}/api/health`, {
      headers: adminToken ? { authorization: `Bearer ${adminToken}` } : {},
      signal: AbortSignal.timeout(30_000),
    });
    const parsed = healthSchema.safeParse(await response.json().catch(() => undefined));
    return { status: response.status, ...(parsed.success ? { body: parsed.data } : {}) };
  } catch {
    return { status: 0 };
  }
}

/** `POST` of a JSON body; the status and the error code, or status 0 when nothing answered. */
export async function postJson(baseUrl: string, route: string, body: unknown): Promise<{ status: number; ms: number; errorCode?: string }> {
  const started = performance.now();
  try {
    const response = await fetch(`${baseUrl}${route}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    return {
      status: response.status,
      ms: performance.now() - started,
      ...(response.ok ? {} : { errorCode: errorCodeOf(text, response.status) }),
    };
  } catch {
    return { status: 0, ms: performance.now() - started };
  }
}
